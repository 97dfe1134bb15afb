package io.splicelab.cka;

import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.RunDeleted;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.plugin.AnalysisConsumer;
import io.splicelab.model.plugin.PluginContext;
import io.splicelab.model.plugin.ReceivedEvent;
import io.splicelab.model.plugin.StatsResults;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example plugged-in analysis: linear CKA between the probe-set features of every pair of checkpoints
 * of a run, at each cut, from {@code FeaturesSnapshotted} events and their feature snapshot artifacts.
 *
 * <p>Results: per run, probe set and cut one {@code StatsComputed} with analysis {@code linear-cka}, shape
 * {@code table} (rows and columns: checkpoint steps; cells: CKA), and {@code steps} empty: the table covers
 * the whole run and grows as checkpoints arrive, replacing the previous version downstream (same natural
 * key). After every polled batch, each table that changed is published once.
 *
 * <p>Restarts: when the first event of a run seen by this process is not its first checkpoint (the consumer
 * restarted mid-run with committed offsets), the run's earlier snapshots are read from the artifact store
 * (found by the layout of {@link RunArtifacts}); each is verified against its event's sha256 when that
 * event is seen, and replaced if it differs.
 */
public final class CkaAnalysis implements AnalysisConsumer {
    public static final String NAME = "linear-cka";
    private static final Logger LOG = LoggerFactory.getLogger(CkaAnalysis.class);
    private static final Pattern STEP_FILE = Pattern.compile("step-(\\d+)\\.(npz|slfs)");

    private final int maxRuns;
    /** (runId, probeSet) -> its state; access-ordered for eviction of the least recently used run. */
    private final Map<String, RunState> runs = new LinkedHashMap<>(16, 0.75f, true);
    /** Tables changed in the current batch: (runId, probeSet) -> cuts. */
    private final Map<String, Set<String>> dirty = new LinkedHashMap<>();

    /** @param maxRuns runs whose features are kept in memory (each: checkpoints x cuts x n x C floats) */
    public CkaAnalysis(int maxRuns) {
        if (maxRuns < 1) {
            throw new IllegalArgumentException("maxRuns must be at least 1");
        }
        this.maxRuns = maxRuns;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EventType> eventTypes() {
        return Set.of(EventType.FEATURES_SNAPSHOTTED, EventType.RUN_DELETED);
    }

    @Override
    public void onEvent(ReceivedEvent event, PluginContext context) {
        if (event.type() == EventType.RUN_DELETED) {
            forget(event.payload(RunDeleted.class).runId());
            return;
        }
        FeaturesSnapshotted f = event.payload(FeaturesSnapshotted.class);
        if (f.runId() == null || f.runId().isBlank()) {
            throw new IllegalArgumentException("runId is missing");
        }
        if (f.features() == null) {
            throw new IllegalArgumentException("features artifact reference is missing");
        }
        String probeSet = f.probeSet() == null ? "" : f.probeSet();
        String key = f.runId() + "\u0000" + probeSet;
        RunState run = runs.get(key);
        if (run != null && run.matches(f.step(), f.features().sha256())) {
            return; // redelivery or replay of a snapshot already in the table
        }
        FeatureSnapshot snapshot = context.featureSnapshot(f.features()); // size and sha256 verified
        if (f.samples() > 0 && f.samples() != snapshot.labels().length) {
            throw new IllegalArgumentException("event says " + f.samples() + " samples, artifact has "
                    + snapshot.labels().length);
        }
        List<String> cuts = f.cuts() == null || f.cuts().isEmpty() ? List.copyOf(snapshot.features().keySet())
                : f.cuts();
        for (String cut : cuts) {
            if (!snapshot.features().containsKey(cut)) {
                throw new IllegalArgumentException("cut " + cut + " is not in the artifact");
            }
        }
        if (run == null) {
            run = new RunState(f.runId(), probeSet);
            recoverEarlier(run, f, context);
            runs.put(key, run);
            evict(key);
        }
        if (run.size() > 0 && run.samples() != snapshot.labels().length) {
            throw new IllegalArgumentException("snapshot has " + snapshot.labels().length + " samples, the run's other "
                    + "snapshots " + run.samples() + ": CKA compares the same examples");
        }
        Set<String> changed = run.add(f.step(), f.features().sha256(), snapshot, cuts);
        dirty.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(changed);
    }

    /** Drops what is held of a deleted run (its tables in memory, results not yet published). */
    private void forget(String runId) {
        String prefix = runId + "\u0000";
        runs.keySet().removeIf(k -> k.startsWith(prefix));
        dirty.keySet().removeIf(k -> k.startsWith(prefix));
        LOG.info("run {} was deleted: its state dropped", runId);
    }

    @Override
    public void onBatchEnd(PluginContext context) {
        for (Map.Entry<String, Set<String>> e : dirty.entrySet()) {
            RunState run = runs.get(e.getKey());
            if (run == null) {
                continue;
            }
            for (String cut : e.getValue()) {
                context.publish(run.table(cut));
            }
        }
        dirty.clear();
    }

    /** The current table of a run's cut (for tests and tools); null when unknown. */
    public double[][] table(String runId, String probeSet, String cut) {
        RunState run = runs.get(runId + "\u0000" + probeSet);
        return run == null ? null : run.cells(cut);
    }

    private void recoverEarlier(RunState run, FeaturesSnapshotted f, PluginContext context) {
        String expected = RunArtifacts.featureSnapshot(f.runId(), f.step(), run.probeSet);
        if (!f.features().uri().equals(LocalArtifactStore.SCHEME + expected)) {
            return; // not the standard layout: nothing to find by listing
        }
        String dir = expected.substring(0, expected.lastIndexOf('/'));
        for (String key : context.artifacts().list(dir)) {
            Matcher m = STEP_FILE.matcher(key.substring(key.lastIndexOf('/') + 1));
            if (!m.matches()) {
                continue;
            }
            int step = Integer.parseInt(m.group(1));
            if (step == f.step()) {
                continue;
            }
            try {
                byte[] bytes = context.artifacts().read(key);
                FeatureSnapshot s = FeatureSnapshot.decode(bytes);
                List<String> cuts = f.cuts() == null || f.cuts().isEmpty() ? List.copyOf(s.features().keySet())
                        : f.cuts().stream().filter(s.features()::containsKey).toList();
                if (run.size() == 0 || run.samples() == s.labels().length) {
                    run.add(step, LocalArtifactStore.sha256(bytes), s, cuts);
                    LOG.info("run {}: recovered the snapshot of step {} from the artifact store", run.runId, step);
                }
            } catch (ArtifactIntegrityException | IllegalArgumentException e) {
                LOG.warn("run {}: skipping unreadable snapshot {}: {}", run.runId, key, e.getMessage());
            }
        }
    }

    private void evict(String keep) {
        var it = runs.keySet().iterator();
        while (runs.size() > maxRuns && it.hasNext()) {
            String k = it.next();
            if (!k.equals(keep)) {
                it.remove();
                dirty.remove(k);
            }
        }
    }

    /** One run's (and probe set's) centered features per step and cut, and the CKA of every pair. */
    private static final class RunState {
        final String runId;
        final String probeSet;
        final TreeMap<Integer, String> shaByStep = new TreeMap<>();
        final Map<String, TreeMap<Integer, LinearCka.Centered>> features = new LinkedHashMap<>();
        final Map<String, Map<Long, Double>> values = new HashMap<>();
        int samples = -1;

        RunState(String runId, String probeSet) {
            this.runId = runId;
            this.probeSet = probeSet;
        }

        int size() {
            return shaByStep.size();
        }

        int samples() {
            return samples;
        }

        boolean matches(int step, String sha) {
            return sha != null && sha.equals(shaByStep.get(step));
        }

        /** Adds (or replaces) a step; returns the cuts whose tables changed. */
        Set<String> add(int step, String sha, FeatureSnapshot snapshot, List<String> cuts) {
            samples = snapshot.labels().length;
            shaByStep.put(step, sha);
            Set<String> changed = new LinkedHashSet<>();
            for (String cut : cuts) {
                LinearCka.Centered c = LinearCka.center(snapshot.features().get(cut));
                TreeMap<Integer, LinearCka.Centered> byStep = features.computeIfAbsent(cut, k -> new TreeMap<>());
                byStep.put(step, c);
                Map<Long, Double> v = values.computeIfAbsent(cut, k -> new HashMap<>());
                for (Map.Entry<Integer, LinearCka.Centered> other : byStep.entrySet()) {
                    double cka = LinearCka.cka(c, other.getValue());
                    v.put(pair(step, other.getKey()), cka);
                    v.put(pair(other.getKey(), step), cka);
                }
                changed.add(cut);
            }
            return changed;
        }

        double[][] cells(String cut) {
            TreeMap<Integer, LinearCka.Centered> byStep = features.get(cut);
            if (byStep == null) {
                return null;
            }
            List<Integer> steps = new ArrayList<>(byStep.keySet());
            Map<Long, Double> v = values.get(cut);
            double[][] cells = new double[steps.size()][steps.size()];
            for (int i = 0; i < steps.size(); i++) {
                for (int j = 0; j < steps.size(); j++) {
                    Double x = v.get(pair(steps.get(i), steps.get(j)));
                    cells[i][j] = x == null ? Double.NaN : x;
                }
            }
            return cells;
        }

        io.splicelab.model.events.Payloads.StatsComputed table(String cut) {
            List<Integer> steps = new ArrayList<>(features.get(cut).keySet());
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("kernel", "linear");
            parameters.put("features", "global-average-pooled activations at the cut");
            parameters.put("samples", samples);
            parameters.put("checkpoints", steps.size());
            return StatsResults.table(runId, NAME, cut, probeSet, List.of(), parameters, "step", steps, "step", steps,
                    cells(cut));
        }

        private static long pair(int a, int b) {
            return ((long) a << 32) | (b & 0xffffffffL);
        }
    }
}
