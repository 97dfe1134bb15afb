package io.splicelab.splicer;

import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.splicer.CrossRunHybrids.CrossRunCell;
import io.splicelab.splicer.CrossRunHybrids.CrossRunRequest;
import io.splicelab.splicer.splicing.RunGrid;
import io.splicelab.splicer.splicing.SegmentedNet;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Keeps the hybrid grid of the runs in progress and grows it with every checkpoint: loads the checkpoint
 * (verified against its sha256), evaluates its row and column, stores and publishes the cells as they are
 * computed, with the grid's progress, and the probe features. Imported checkpoints (ONNX segments,
 * {@link #onImported}) grow their run's grid the same way. This class is the entry and the lock; the work is
 * done by its parts: {@link ActiveGrids} (the grids in memory), {@link GridFactory}, {@link StoreRestore},
 * {@link GridGrowth}, {@link GridStatus}, {@link SplicerRecords} (the store) and {@link CrossRunHybrids}.
 *
 * <p><b>The artifact store is the truth.</b> Whatever event arrives (first delivery, redelivery, out of order,
 * for a run whose grid was evicted from memory or after a restart), every checkpoint the store has for the run
 * is in the grid before anything is reported: the missing ones are restored from their manifests (import
 * records), and cells already stored under {@code runs/<id>/splicer/cells} are remembered, never recomputed or
 * republished. A checkpoint that cannot be evaluated is recorded under {@code runs/<id>/splicer/incomplete} and
 * the grid says so ({@code incomplete}, with the reason) instead of shrinking silently.
 *
 * <p>Calls are sequential (the {@link SplicerWorker} thread, one at a time; a cross-run request waits for the
 * checkpoint in progress, so that one memory budget holds for all of them).
 */
@ApplicationScoped
public class SplicingService {
    static {
        // every use of DJL in the splicer goes through this class: offline mode is on before any of it runs,
        // whatever the launch path (the launchers also set it on the command line)
        DjlOffline.configure();
    }

    private final SplicerSettings settings;
    private final SplicerPublisher publisher;
    private final SplicerRecords records;
    private final ActiveGrids grids;
    private final GridFactory factory;
    private final StoreRestore restore;
    private final GridStatus status;
    private final GridGrowth growth;
    private final CrossRunHybrids crossRuns;

    /** The settings of the tests (a fixed batch size, {@link SplicerSettings}). */
    public SplicingService(ArtifactStore store, SplicerPublisher publisher, List<String> cuts, int batchSize,
            int maxRuns, List<String> evalSets, List<String> bnModes, int recalibrationSize, long memoryBudgetMb,
            String spillDir, String precision, double tcThreshold, String device, int onnxThreads) {
        this(store, publisher, SplicerSettings.of(cuts, batchSize, maxRuns, evalSets, bnModes, recalibrationSize,
                memoryBudgetMb, spillDir, precision, tcThreshold, device, onnxThreads));
    }

    @Inject
    public SplicingService(ArtifactStore store, SplicerPublisher publisher, SplicerSettings settings) {
        this.settings = settings;
        this.publisher = publisher;
        this.records = new SplicerRecords(store);
        this.grids = new ActiveGrids(settings.maxRuns());
        this.factory = new GridFactory(settings, records);
        this.restore = new StoreRestore(records, new CheckpointLoader(store, settings.onnx()),
                settings.cuts());
        this.status = new GridStatus(records);
        this.growth = new GridGrowth(records, publisher, settings);
        this.crossRuns = new CrossRunHybrids(factory, records);
    }

    /** Evaluates a created checkpoint, after every other checkpoint the store has for its run. */
    public synchronized void onCheckpoint(CheckpointCreated checkpoint) {
        String runId = RunIds.requireValid(checkpoint.runId());
        RunGrid grid = grids.getOrCreate(runId, () -> factory.of(checkpoint));
        grow(grid, runId, checkpoint.step(), restore.missing(grid, checkpoint));
    }

    /**
     * Evaluates an imported checkpoint (ONNX segments): like a created one, it adds its row and column to its
     * run's grid, in BatchNorm mode {@code carry} only, on the evaluation sets and at the cuts its event asks for
     * (before the plan: the configured ones) of the dataset the import names,
     * after every other imported checkpoint the store has for its run.
     *
     * @throws IllegalArgumentException (dead letter) when the dataset's images or classes do not match the
     *     manifest or a cut is not in the manifest; checked before anything is evaluated or stored
     */
    public synchronized void onImported(CheckpointImported imported) {
        String runId = RunIds.requireValid(imported.runId());
        imported.manifest().validated();
        RunConfig config = ImportFit.config(imported);
        DatasetInfo info = ImportFit.requireFit(imported, config, settings.cuts());
        RunGrid grid = grids.getOrCreate(runId, () -> factory.ofImport(runId, config));
        grow(grid, runId, imported.step(), restore.missing(grid, imported, info));
    }

    /**
     * Grows the grid, then reports its status; a grid a failure left half-added is dropped from memory (the next
     * event rebuilds it from the store) and the status comes from the store.
     */
    private void grow(RunGrid grid, String runId, int step, TreeMap<Integer, Supplier<SegmentedNet>> todo) {
        if (growth.grow(grid, runId, step, todo)) {
            publisher.publish(status.of(grid, runId, step));
        } else {
            grids.drop(runId, grid);
            publisher.publish(status.current(runId, step, null));
        }
    }

    /** Records that a checkpoint could not be evaluated (its status then says {@code incomplete}). */
    public synchronized void markIncomplete(String runId, int step, String reason) {
        records.markIncomplete(runId, step, reason);
    }

    /**
     * Publishes a run's status without evaluating anything (its training completed, or a checkpoint failed):
     * from its grid when it is in memory, else from what the store has (its checkpoints, stored cells and
     * incomplete records).
     *
     * @param step the step reported; negative: the run's last stored checkpoint
     */
    public synchronized void publishStatus(String runId, int step) {
        publisher.publish(status.current(runId, step, grids.get(runId)));
    }

    /**
     * Forgets a deleted run: its grid leaves memory (its artifacts, pending work included, left the store with the
     * run's directory).
     */
    public synchronized void forget(String runId) {
        grids.forget(runId);
    }

    /** Computes the cross-run hybrids of two checkpoints of runs of the same architecture. */
    public synchronized List<CrossRunCell> crossRun(CrossRunRequest request) {
        return crossRuns.compute(request);
    }

    @PreDestroy
    synchronized void close() {
        grids.closeAll();
    }
}
