package io.splicelab.splicer;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Payloads.TcVariant;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.splicer.splicing.HybridCell;
import io.splicelab.splicer.splicing.RunGrid;
import io.splicelab.splicer.splicing.SegmentedNet;
import io.splicelab.splicer.splicing.TcSummary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Grows a run's grid by checkpoints, in step order, and says what came of it: each checkpoint's cells are
 * stored (with their per-image predictions) and published as they are computed, with its progress, then its
 * probe features; after all of them the temporal-consistency summaries. A checkpoint that fails is recorded
 * incomplete and the others go on.
 */
final class GridGrowth {
    private static final Logger LOG = Logger.getLogger(GridGrowth.class);

    private final SplicerRecords records;
    private final SplicerPublisher publisher;
    private final SplicerSettings settings;

    GridGrowth(SplicerRecords records, SplicerPublisher publisher, SplicerSettings settings) {
        this.records = records;
        this.publisher = publisher;
        this.settings = settings;
    }

    /**
     * Adds the checkpoints in step order. One that fails is recorded incomplete and the others go on, unless the
     * failure left it half-added: then the growth stops and the grid must be dropped from memory, so that the next
     * event rebuilds it from the store. Then the summaries.
     *
     * @param delivered the step of the event that arrived (the others are restored from the store)
     * @return false when the grid was left half-added (nothing more published)
     */
    boolean grow(RunGrid grid, String runId, int delivered, TreeMap<Integer, Supplier<SegmentedNet>> todo) {
        boolean dropped = false;
        Set<Integer> evaluatedBefore = evaluatedSteps(runId);
        for (Map.Entry<Integer, Supplier<SegmentedNet>> e : todo.entrySet()) {
            int step = e.getKey();
            if (step != delivered) {
                LOG.infof("run %s: restoring checkpoint at step %d from the artifact store", runId, step);
            }
            try {
                // only new work is announced: a checkpoint evaluated before has its cells in the store (and at the
                // gateway) already, and ticks while it is restored would show the run's grid shrink and grow back
                boolean announce = !evaluatedBefore.contains(step);
                addAndPublish(grid, runId, step, e.getValue(), step == delivered, announce);
                records.clearIncomplete(runId, step);
            } catch (RuntimeException failure) {
                String reason = "checkpoint at step " + step + " could not be evaluated: " + failure;
                LOG.errorf(failure, "run %s: %s", runId, reason);
                records.markIncomplete(runId, step, reason);
                if (grid.contains(step)) {
                    dropped = true;
                    break;
                }
            }
        }
        if (dropped) {
            return false;
        }
        for (TcSummary s : grid.summaries(settings.tcThreshold())) {
            publisher.publish(new TcSummaryComputed(runId, s.cut(), s.evalSet(), s.bnMode(), s.steps(), s.curve(),
                    s.tcScore(), s.dropLag(), s.threshold(), tcOrNull(s.excludingInitial()), s.initialStep(),
                    s.chancePairs(), variant(s.all()), variant(s.excludingInitial())));
        }
        return true;
    }

    private static Double tcOrNull(TcSummary.Variant v) {
        return Double.isNaN(v.tc()) ? null : v.tc();
    }

    private static TcVariant variant(TcSummary.Variant v) {
        return new TcVariant(tcOrNull(v), v.pairs(), v.curveByCheckpoints(), v.curveBySteps(), v.dropLag(),
                v.dropLagSteps());
    }

    /** The checkpoints of the run evaluated before (their diagonal cell, the checkpoint alone, is stored). */
    private Set<Integer> evaluatedSteps(String runId) {
        Set<Integer> steps = new HashSet<>();
        for (HybridCell cell : records.storedCells(runId)) {
            if (cell.shallowStep() == cell.deepStep()) {
                steps.add(cell.shallowStep());
            }
        }
        return steps;
    }

    private void addAndPublish(RunGrid grid, String runId, int step, Supplier<SegmentedNet> loader,
            boolean delivered, boolean announce) {
        SegmentedNet net = loader.get();
        ProgressTicker ticker = new ProgressTicker(publisher, settings.progressIntervalMs(), runId, step, grid,
                announce);
        List<HybridCell> cells;
        try {
            cells = grid.add(step, net, (batch, done, expected) -> {
                if (!batch.isEmpty()) {
                    records.storePredictions(runId, batch); // first: a stored cell always has its predictions
                    records.storeCells(runId, step, batch);
                    for (HybridCell cell : batch) {
                        publisher.publish(SplicerRecords.event(runId, cell));
                    }
                }
                ticker.tick(done, expected);
            });
        } catch (RuntimeException e) {
            if (!grid.contains(step)) {
                net.close();
            }
            throw e;
        }
        ticker.end();
        publishSnapshot(grid, runId, step, delivered);
        long[] bytes = grid.cacheBytes();
        LOG.infof("run %s: checkpoint at step %d added %d hybrid cells (features: %d MB in memory, %d MB spilled)",
                runId, step, cells.size(), bytes[0] >> 20, bytes[1] >> 20);
    }

    /** The checkpoint's probe features on the grid's first evaluation set. */
    private void publishSnapshot(RunGrid grid, String runId, int step, boolean delivered) {
        ArtifactStore store = records.store();
        String probeSet = grid.evalSetNames().get(0);
        String key = RunArtifacts.featureSnapshot(runId, step, probeSet);
        // a restored checkpoint's snapshot went out when it was first evaluated; a delivered one goes out again
        if (delivered || !store.exists(key)) {
            FeatureSnapshot snapshot = new FeatureSnapshot(grid.labels(), grid.pooledFeatures(step));
            ArtifactRef ref = store.put(key, snapshot.encode(), FeatureSnapshot.MEDIA_TYPE);
            publisher.publish(new FeaturesSnapshotted(runId, step, probeSet, grid.options().cuts(),
                    grid.labels().length, ref));
        }
    }
}
