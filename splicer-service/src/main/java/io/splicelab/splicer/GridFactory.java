package io.splicelab.splicer;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.EvalPlan;
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
 * Makes a run's grid as its evaluation plan says (its evaluation sets, BatchNorm modes and cuts: the run
 * configuration's {@code evalSets}, {@code bnModes}, {@code cuts}), with the batch and feature budget of the settings
 * on the grids' device, and tells it the cells the store already has, so that they are never recomputed; and the
 * throw-away grid of a cross-run request, under the same budget. The settings' evaluation sets, modes and cuts are
 * only the defaults of events from before the plan (a configuration without those fields).
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

    /** The grid of a trained run: its configuration's plan, the batch planned for its network. */
    RunGrid of(CheckpointCreated checkpoint) {
        return of(checkpoint.runId(), checkpoint.config(), planOf(checkpoint.config()), checkpoint.network());
    }

    /**
     * The grid of an import, whose network is not known here: the plan its event carries (before the plan: the
     * configured sets and cuts, mode carry), the fallback batch size.
     */
    RunGrid ofImport(String runId, RunConfig config) {
        EvalPlan fallback = new EvalPlan(settings.evalSets(), List.of(RunGrid.CARRY), settings.cuts());
        return of(runId, config, config.evalPlan().orElse(fallback), null);
    }

    /**
     * A trained run's plan: its configuration's, each field the configuration lacks (an event from before the plan)
     * taken from the settings (the cuts of a small network: all of its own, {@link #cutsFor}).
     */
    EvalPlan planOf(RunConfig config) {
        EvalPlan own = config == null ? new EvalPlan(null, null, null) : config.evalPlan();
        return own.orElse(new EvalPlan(settings.evalSets(), settings.bnModes(), cutsFor(config)));
    }

    /** @param spec the network, for an {@code auto} batch size (null: not known, the fallback size) */
    private RunGrid of(String runId, RunConfig config, EvalPlan evalPlan, NetworkSpec spec) {
        List<String> modes = evalPlan.bnModes();
        List<ImageDataset> sets = EvalSets.resolve(evalPlan.evalSets(), config, settings.cifar10cDir());
        ImageDataset recal = modes.contains(RunGrid.RECALIBRATE)
                ? EvalSets.recalibration(config, settings.recalibrationSize())
                : null;
        int batch = plan.batchSize(spec);
        LOG.infof("run %s: evaluation sets %s, BatchNorm modes %s, cuts %s, %d images per forward pass", runId,
                sets.stream().map(ImageDataset::name).toList(), modes, evalPlan.cuts(), batch);
        RunGrid grid = grid(evalPlan.cuts(), modes, sets, subsets(sets, config), recal, spec, batch);
        records.storedCells(runId).forEach(grid::remember);
        return grid;
    }

    /**
     * A throw-away grid for the cross-run hybrids of {@code a}'s architecture: the cuts of {@code a}'s run (its plan,
     * or for an event from before the plan the configured ones), mode {@code carry}, one evaluation set resolved
     * with {@code a}'s configuration; nothing remembered.
     */
    RunGrid crossRun(CheckpointCreated a, String evalSet) {
        List<ImageDataset> sets = EvalSets.resolve(List.of(evalSet), a.config(), settings.cifar10cDir());
        return grid(planOf(a.config()).cuts(), List.of(RunGrid.CARRY), sets, subsets(sets, a.config()), null, a.network(),
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
     * The cuts of a grid of a configuration without its own (an event from before the plan, a cross-run request):
     * the configured ones for the ResNet family; every cut of a small network ({@code cnn}, {@code mlp}), which has
     * none of the ResNet cut names.
     */
    List<String> cutsFor(RunConfig config) {
        if (config == null || config.architecture() == null) {
            return settings.cuts();
        }
        List<String> defaults = Networks.defaultCuts(config.architecture());
        return defaults.equals(Networks.STAGE_CUTS) ? settings.cuts() : defaults;
    }
}
