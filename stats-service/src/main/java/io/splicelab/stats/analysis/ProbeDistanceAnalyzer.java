package io.splicelab.stats.analysis;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.stats.analysis.CloudDistance;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * The windowed distance between the temporally augmented feature clouds of two probe sets (e.g.
 * {@code train-probe} vs {@code test}), docs/science.md section 3. For a step t it takes, for every pair of
 * probe sets that both have a snapshot at t, the last W steps up to t at which both have one, stacks each
 * probe set's features over those steps (the temporal cloud) and compares the clouds per common cut with
 * {@link CloudDistance}. With a single probe set there is nothing to compare and nothing is produced.
 * Result: analysis {@value #NAME}, probe set {@code "A|B"} (names sorted), steps = the window.
 */
public class ProbeDistanceAnalyzer {
    public static final String NAME = "probe-distance";

    private final ArtifactStore artifacts;
    private final CloudDistance distance;
    private final int window;

    public ProbeDistanceAnalyzer(ArtifactStore artifacts, CloudDistance distance, int window) {
        this.window = Checks.atLeast(window, 1, "window");
        this.artifacts = artifacts;
        this.distance = distance;
    }

    /** The probe-set pair key of a result: the two names sorted, joined by {@code |}. */
    public static String pairKey(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    /**
     * @param runId the run
     * @param step the step that just got a snapshot
     * @param snapshots every accepted snapshot of the run up to {@code step}: step -> probe set -> artifact
     * @return one result per probe-set pair and common cut; empty when fewer than 2 probe sets exist at step
     * @throws UnprocessableRecordException when an artifact cannot be read
     */
    public List<StatsComputed> analyze(String runId, int step, NavigableMap<Integer, Map<String, ArtifactRef>> snapshots) {
        Map<String, ArtifactRef> atStep = snapshots.getOrDefault(step, Map.of());
        List<String> sets = new ArrayList<>(atStep.keySet());
        java.util.Collections.sort(sets);
        List<StatsComputed> out = new ArrayList<>();
        Map<ArtifactRef, FeatureSnapshot> cache = new HashMap<>();
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                out.addAll(pair(runId, step, sets.get(i), sets.get(j), snapshots, cache));
            }
        }
        return out;
    }

    private List<StatsComputed> pair(String runId, int step, String a, String b,
            NavigableMap<Integer, Map<String, ArtifactRef>> snapshots, Map<ArtifactRef, FeatureSnapshot> cache) {
        List<Integer> steps = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, ArtifactRef>> e : snapshots.headMap(step, true).descendingMap().entrySet()) {
            if (e.getValue().containsKey(a) && e.getValue().containsKey(b)) {
                steps.add(0, e.getKey());
                if (steps.size() == window) {
                    break;
                }
            }
        }
        List<FeatureSnapshot> sa = new ArrayList<>();
        List<FeatureSnapshot> sb = new ArrayList<>();
        for (int s : steps) {
            sa.add(cache.computeIfAbsent(snapshots.get(s).get(a), this::load));
            sb.add(cache.computeIfAbsent(snapshots.get(s).get(b), this::load));
        }
        Set<String> cuts = new LinkedHashSet<>(sa.get(sa.size() - 1).features().keySet());
        cuts.retainAll(sb.get(sb.size() - 1).features().keySet());
        Map<String, Object> params = new LinkedHashMap<>(distance.parameters());
        params.put("window", window);
        params.put("probeSetA", a);
        params.put("probeSetB", b);
        List<StatsComputed> out = new ArrayList<>();
        for (String cut : cuts) {
            double[][] ca = cloud(sa, cut);
            double[][] cb = cloud(sb, cut);
            if (ca == null || cb == null) {
                continue;
            }
            CloudDistance.Result r;
            try {
                r = distance.compute(ca, cb);
            } catch (IllegalArgumentException e) {
                throw new UnprocessableRecordException("probe distance " + a + "/" + b + " at cut " + cut + ": "
                        + e.getMessage(), e);
            }
            out.add(new StatsComputed(runId, NAME, cut, pairKey(a, b), List.copyOf(steps),
                    SnapshotAnalyzer.SHAPE_SCALAR, params, values(r, a, b, steps)));
        }
        return out;
    }

    /** The rows of every snapshot at a cut, stacked; null when a snapshot lacks the cut or widths differ. */
    private static double[][] cloud(List<FeatureSnapshot> snapshots, String cut) {
        List<double[]> rows = new ArrayList<>();
        int width = -1;
        for (FeatureSnapshot s : snapshots) {
            float[][] f = s.features().get(cut);
            if (f == null) {
                return null;
            }
            for (float[] row : f) {
                if (width >= 0 && row.length != width) {
                    return null;
                }
                width = row.length;
                double[] d = new double[row.length];
                for (int k = 0; k < row.length; k++) {
                    d[k] = row[k];
                }
                rows.add(d);
            }
        }
        return rows.toArray(new double[0][]);
    }

    static Map<String, Object> values(CloudDistance.Result r, String a, String b, List<Integer> steps) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("probeSetA", a);
        v.put("probeSetB", b);
        v.put("windowSteps", steps);
        v.put("tv", r.tv());
        v.put("mmd2", r.mmd().mmd2());
        v.put("mmdPValue", r.mmd().pValue());
        v.put("mmdBandwidth", r.mmd().bandwidth());
        v.put("samplesA", r.samplesA());
        v.put("samplesB", r.samplesB());
        v.put("mmdSamplesA", r.mmdSamplesA());
        v.put("mmdSamplesB", r.mmdSamplesB());
        v.put("featureDimensions", r.dimensions());
        v.put("explainedVariance", List.of(r.explainedVariance()[0], r.explainedVariance()[1]));
        v.put("factors", List.of(r.factorA(), r.factorB()));
        return v;
    }

    private FeatureSnapshot load(ArtifactRef ref) {
        try {
            return FeatureSnapshot.decode(artifacts.get(ref));
        } catch (ArtifactIntegrityException | IllegalArgumentException | UncheckedIOException e) {
            throw new UnprocessableRecordException("snapshot artifact " + ref.uri() + " unreadable: " + e.getMessage(),
                    e);
        }
    }
}
