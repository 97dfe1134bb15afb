package io.splicelab.splicer;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Networks;
import io.splicelab.splicer.splicing.EvalSets;
import io.splicelab.splicer.splicing.RunGrid;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Makes a run's grid as the settings say (its evaluation sets, BatchNorm modes, cuts, batch and feature budget
 * on the grids' device) and tells it the cells the store already has, so that they are never recomputed; and the
 * throw-away grid of a cross-run request, under the same budget.
 */
final class GridFactory {
    private static final Logger LOG = Logger.getLogger(GridFactory.class);

    private final SplicerSettings settings;
    private final DevicePlan plan;
    private final SplicerRecords records;

    GridFactory(SplicerSettings settings, SplicerRecords records) {
        this.settings = settings;
        this.plan = new DevicePlan(settings);
        this.records = records;
    }

    /** The grid of a trained run: the configured BatchNorm modes, the batch planned for its network. */
    RunGrid of(CheckpointCreated checkpoint) {
        return of(checkpoint.runId(), checkpoint.config(), settings.bnModes(), checkpoint.network());
    }

    /** The grid of a run whose network is not known here (an import): the fallback batch size. */
    RunGrid of(String runId, RunConfig config, List<String> modes) {
        return of(runId, config, modes, null);
    }

    /** @param spec the network, for an {@code auto} batch size (null: not known, the fallback size) */
    private RunGrid of(String runId, RunConfig config, List<String> modes, NetworkSpec spec) {
        List<ImageDataset> sets = EvalSets.resolve(settings.evalSets(), config, settings.cifar10cDir());
        ImageDataset recal = modes.contains(RunGrid.RECALIBRATE)
                ? EvalSets.recalibration(config, settings.recalibrationSize())
                : null;
        int batch = plan.batchSize(spec);
        LOG.infof("run %s: evaluation sets %s, %d images per forward pass", runId,
                sets.stream().map(ImageDataset::name).toList(), batch);
        RunGrid grid = grid(cutsFor(config), modes, sets, subsets(sets, config), recal, spec, batch);
        records.storedCells(runId).forEach(grid::remember);
        return grid;
    }

    /**
     * A throw-away grid for the cross-run hybrids of {@code a}'s architecture: the configured cuts, mode
     * {@code carry}, one evaluation set resolved with {@code a}'s configuration; nothing remembered.
     */
    RunGrid crossRun(CheckpointCreated a, String evalSet) {
        List<ImageDataset> sets = EvalSets.resolve(List.of(evalSet), a.config(), settings.cifar10cDir());
        return grid(settings.cuts(), List.of(RunGrid.CARRY), sets, subsets(sets, a.config()), null, a.network(),
                plan.batchSize(a.network()));
    }

    /** Which images of its split each set holds, for its cells. */
    private static Map<String, String> subsets(List<ImageDataset> sets, RunConfig config) {
        return EvalSets.subsets(sets.stream().map(ImageDataset::name).toList(), config);
    }

    /** A grid on the grids' device, its features in memory up to what the budget leaves beside its batches. */
    private RunGrid grid(List<String> cuts, List<String> modes, List<ImageDataset> sets, Map<String, String> subsets,
            ImageDataset recal, NetworkSpec spec, int batch) {
        RunGrid.Options options = new RunGrid.Options(cuts, modes, batch, plan.featureBudget(spec, batch),
                settings.spillDir(), settings.precision());
        return new RunGrid(options, sets, subsets, recal, NDManager.newBaseManager(plan.device()));
    }

    /**
     * The cuts of a run's grid: the configured ones for the ResNet family (and imports, whose manifest is
     * checked against them); every cut of a small network ({@code cnn}, {@code mlp}), which has none of
     * the ResNet cut names.
     */
    List<String> cutsFor(RunConfig config) {
        if (config == null || config.architecture() == null) {
            return settings.cuts();
        }
        List<String> defaults = Networks.defaultCuts(config.architecture());
        return defaults.equals(Networks.STAGE_CUTS) ? settings.cuts() : defaults;
    }
}
