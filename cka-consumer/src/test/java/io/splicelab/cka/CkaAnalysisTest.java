package io.splicelab.cka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.DeadLetters;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.plugin.EventDispatcher;
import io.splicelab.model.plugin.OutgoingRecord;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CkaAnalysisTest {
    static final EventCodec SPLICER = new EventCodec("/splicer-service");
    static final List<String> CUTS = List.of("stem", "stage1");

    /** Writes a snapshot whose features drift with the step, and returns its event's JSON. */
    static String snapshot(LocalArtifactStore store, String run, int step, int n) {
        Random r = new Random(step * 31L + 7);
        Random base = new Random(99);
        Map<String, float[][]> features = new LinkedHashMap<>();
        for (String cut : CUTS) {
            float[][] m = new float[n][4];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 4; j++) {
                    m[i][j] = (float) (base.nextGaussian() + 0.05 * step * r.nextGaussian());
                }
            }
            features.put(cut, m);
        }
        int[] labels = new int[n];
        ArtifactRef ref = store.put(RunArtifacts.featureSnapshot(run, step, "test"),
                new FeatureSnapshot(labels, features).encode(), FeatureSnapshot.MEDIA_TYPE);
        return SPLICER.encode(run, new FeaturesSnapshotted(run, step, "test", CUTS, n, ref));
    }

    static List<OutgoingRecord> feed(EventDispatcher d, List<String> events) {
        List<OutgoingRecord> out = new ArrayList<>();
        for (String e : events) {
            out.addAll(d.dispatch(Topics.FEATURE_SNAPSHOTS, "r1", e));
        }
        out.addAll(d.endBatch());
        return out;
    }

    @Test
    void publishesOneTablePerCutWithEveryPairAndOnesOnTheDiagonal(@TempDir Path dir) throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        EventDispatcher d = new EventDispatcher(new CkaAnalysis(4), store);
        List<String> events = List.of(snapshot(store, "r1", 0, 30), snapshot(store, "r1", 10, 30),
                snapshot(store, "r1", 20, 30));
        List<OutgoingRecord> out = feed(d, events);
        assertEquals(CUTS.size(), out.size(), "one table per cut after the batch");
        for (OutgoingRecord o : out) {
            assertEquals(Topics.STATS_RESULTS, o.topic());
            assertEquals("r1", o.key());
            JsonNode ev = EventCodec.mapper().readTree(o.value());
            assertEquals(EventType.STATS_COMPUTED.type(), ev.get("type").asText());
            assertEquals("/plugins/linear-cka", ev.get("source").asText());
            JsonNode data = ev.get("data");
            assertEquals("linear-cka", data.get("analysis").asText());
            assertEquals("table", data.get("shape").asText());
            assertEquals("test", data.get("probeSet").asText());
            assertEquals(0, data.get("steps").size());
            JsonNode v = data.get("values");
            assertEquals("[0,10,20]", v.get("rows").toString());
            assertEquals("[0,10,20]", v.get("columns").toString());
            for (int i = 0; i < 3; i++) {
                assertEquals(1.0, v.get("cells").get(i).get(i).asDouble(), 1e-9, "CKA with itself");
                for (int j = 0; j < 3; j++) {
                    double c = v.get("cells").get(i).get(j).asDouble();
                    assertEquals(c, v.get("cells").get(j).get(i).asDouble(), 1e-12);
                    assertTrue(c > 0 && c <= 1 + 1e-12, "in (0, 1]: " + c);
                }
            }
            assertTrue(v.get("cells").get(0).get(1).asDouble() > v.get("cells").get(0).get(2).asDouble(),
                    "features drift with the step: CKA falls with the distance between checkpoints");
        }

        // a replay of the same events changes nothing and publishes nothing
        assertTrue(feed(d, events).isEmpty());
    }

    @Test
    void deadLettersWhatItCannotProcessAndSkipsOtherTypes(@TempDir Path dir) throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        EventDispatcher d = new EventDispatcher(new CkaAnalysis(4), store);
        String good = snapshot(store, "r1", 0, 10);
        // the artifact changed after the event was published
        Files.write(dir.resolve(RunArtifacts.featureSnapshot("r1", 0, "test")), new byte[] {1, 2, 3});
        List<OutgoingRecord> out = d.dispatch(Topics.FEATURE_SNAPSHOTS, "r1", good);
        assertEquals(1, out.size());
        assertEquals(Topics.DEAD_LETTERS, out.get(0).topic());
        assertTrue(out.get(0).headers().get(DeadLetters.REASON_HEADER).contains("bytes"),
                out.get(0).headers().toString());
        assertEquals("plugin-linear-cka", out.get(0).headers().get(DeadLetters.SERVICE_HEADER));
        assertEquals(good, out.get(0).value(), "the original record");

        List<OutgoingRecord> bad = d.dispatch(Topics.FEATURE_SNAPSHOTS, "r1", "{not json");
        assertEquals(Topics.DEAD_LETTERS, bad.get(0).topic());
        assertTrue(d.dispatch(Topics.RUN_EVENTS, "r1",
                new EventCodec("/trainer-service").encode("r1", new RunCompleted("r1", 20, 3, 0.5))).isEmpty());
        assertTrue(d.endBatch().isEmpty(), "nothing to publish");
    }

    @Test
    void afterARestartMidRunTheEarlierSnapshotsComeFromTheArtifactStore(@TempDir Path dir) throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        String e0 = snapshot(store, "r1", 0, 20);
        String e10 = snapshot(store, "r1", 10, 20);
        String e20 = snapshot(store, "r1", 20, 20);
        EventDispatcher first = new EventDispatcher(new CkaAnalysis(4), store);
        feed(first, List.of(e0, e10));
        CkaAnalysis restarted = new CkaAnalysis(4);
        List<OutgoingRecord> out = feed(new EventDispatcher(restarted, store), List.of(e20));
        assertEquals(CUTS.size(), out.size());
        JsonNode v = EventCodec.mapper().readTree(out.get(0).value()).get("data").get("values");
        assertEquals("[0,10,20]", v.get("rows").toString());
        double[][] fromScratch = new CkaAnalysis(4).table("r1", "test", "stem");
        assertEquals(null, fromScratch);
        CkaAnalysis all = new CkaAnalysis(4);
        feed(new EventDispatcher(all, store), List.of(e0, e10, e20));
        double[][] a = all.table("r1", "test", "stem");
        double[][] b = restarted.table("r1", "test", "stem");
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(a[i][j], b[i][j], 1e-12);
            }
        }
    }

    /**
     * A deleted run (the gateway's marker in the store, its artifacts gone): its later snapshots are skipped, not
     * dead-lettered; run.deleted drops the run's tables, so a snapshot published before it and handled in the same
     * batch publishes nothing for the run.
     */
    @Test
    void aDeletedRunsEventsAreSkippedAndItsStateDropped(@TempDir Path dir) throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        EventDispatcher d = new EventDispatcher(new CkaAnalysis(4), store);
        List<OutgoingRecord> out = new ArrayList<>(d.dispatch(Topics.FEATURE_SNAPSHOTS, "r1",
                snapshot(store, "r1", 0, 30)));
        String later = snapshot(store, "r1", 10, 30);
        store.put(RunArtifacts.deletionMarker("r1"), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
        store.deleteAll(RunArtifacts.runPrefix("r1"));
        out.addAll(d.dispatch(Topics.RUN_EVENTS, "r1", new EventCodec("/gateway").encode("r1",
                new io.splicelab.model.events.Payloads.RunDeleted("r1"))));
        out.addAll(d.dispatch(Topics.FEATURE_SNAPSHOTS, "r1", later));
        out.addAll(d.endBatch());
        assertEquals(List.of(), out, "nothing published, nothing dead-lettered");
        assertTrue(new CkaAnalysis(4).topics().contains(Topics.RUN_EVENTS), "the runner reads run.deleted");
    }
}
