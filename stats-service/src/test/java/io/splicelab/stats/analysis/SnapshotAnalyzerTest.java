package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.stats.analysis.Bandwidth;
import io.splicelab.stats.analysis.ClassOverlap;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis step without Kafka or a database: artifact in, one StatsComputed per cut out. */
class SnapshotAnalyzerTest {
    @TempDir
    Path dir;

    private FeatureSnapshot snapshot(int n) {
        Random rnd = new Random(11);
        int[] labels = new int[n];
        float[][] stem = new float[n][5];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 5; j++) {
                stem[i][j] = (float) (rnd.nextGaussian() + (j == labels[i] ? 4 : 0));
            }
        }
        Map<String, float[][]> f = new LinkedHashMap<>();
        f.put("stem", stem);
        f.put("stage1", stem);
        return new FeatureSnapshot(labels, f);
    }

    @Test
    void computesOneResultPerCut() {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        ArtifactRef ref = store.put("runs/r1/f.slfs", snapshot(40).encode(), FeatureSnapshot.MEDIA_TYPE);
        SnapshotAnalyzer analyzer = new SnapshotAnalyzer(store, new ClassOverlap(Bandwidth.SCOTT, 32, 3));
        List<StatsComputed> out = analyzer.analyze(
                new FeaturesSnapshotted("r1", 7, "test", List.of("stem", "stage1"), 40, ref));
        assertEquals(2, out.size());
        StatsComputed first = out.get(0);
        assertEquals("class-overlap-tv", first.analysis());
        assertEquals("stem", first.cut());
        assertEquals(List.of(7), first.steps());
        assertEquals(32, first.parameters().get("gridSize"));
        assertEquals(out.get(0).values().get("meanTv"), out.get(1).values().get("meanTv"));
        assertTrue((double) first.values().get("meanTv") > 0.5);
        // the class densities for the dashboard's KDE plot: each integrates to about 1 over the grid
        @SuppressWarnings("unchecked")
        Map<String, List<List<Double>>> densities = (Map<String, List<List<Double>>>) first.values().get("densities");
        assertEquals(java.util.Set.of("0", "1"), densities.keySet());
        @SuppressWarnings("unchecked")
        List<List<Double>> axes = (List<List<Double>>) first.values().get("densityAxes");
        double dx = axes.get(0).get(1) - axes.get(0).get(0);
        double dy = axes.get(1).get(1) - axes.get(1).get(0);
        for (List<List<Double>> rows : densities.values()) {
            assertEquals(32, rows.size());
            double mass = rows.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sum() * dx * dy;
            assertEquals(1.0, mass, 0.05, "probability mass on the grid");
        }
        // travels as JSON without surprises
        EventCodec.toJson(first);
    }

    @Test
    void rejectsMissingCorruptOrMisshapenArtifacts() {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        ArtifactRef ref = store.put("runs/r1/f.slfs", snapshot(40).encode(), FeatureSnapshot.MEDIA_TYPE);
        ArtifactRef junk = store.put("runs/r1/junk", new byte[] {1, 2, 3, 4, 5}, FeatureSnapshot.MEDIA_TYPE);
        SnapshotAnalyzer analyzer = new SnapshotAnalyzer(store, new ClassOverlap(Bandwidth.SCOTT, 32, 3));
        ArtifactRef missing = new ArtifactRef("artifact:runs/r1/none", 1, "x", FeatureSnapshot.MEDIA_TYPE);
        ArtifactRef badSha = new ArtifactRef(ref.uri(), ref.size(), "0".repeat(64), ref.mediaType());
        for (var event : List.of(
                new FeaturesSnapshotted("r1", 1, "test", List.of("stem"), 40, missing),
                new FeaturesSnapshotted("r1", 1, "test", List.of("stem"), 40, badSha),
                new FeaturesSnapshotted("r1", 1, "test", List.of("stem"), 40, junk),
                new FeaturesSnapshotted("r1", 1, "test", List.of("nope"), 40, ref),
                new FeaturesSnapshotted("r1", 1, "test", List.of("stem"), 41, ref),
                new FeaturesSnapshotted("r1", 1, "test", List.of("stem"), 40, null))) {
            assertThrows(UnprocessableRecordException.class, () -> analyzer.analyze(event), event.toString());
        }
    }
}
