package io.splicelab.splicer;

import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.EvalPlan;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.values.BnMode;
import io.splicelab.model.imports.ImportManifest;
import java.util.List;
import java.util.Set;

/**
 * Whether an imported checkpoint can be evaluated here: its dataset's images and classes are what its
 * manifest's network takes, its evaluation subset and plan are valid (by the run configuration's rules; only mode
 * carry, cuts of the manifest), its manifest has every cut evaluated (the plan's, else the configured ones) and the
 * event names a file per segment. Checked when the event is accepted (a
 * misfit is dead-lettered) and again before it is evaluated (a stored import record is read back).
 */
final class ImportFit {
    private ImportFit() {
    }

    /** The fields of the configuration an import sets: what its evaluation sets depend on. */
    private static final Set<String> EVALUATION_FIELDS = Set.of("evalSize", "evalSubset", "evalIndices");

    /**
     * The configuration an import's evaluation sets are resolved with: its dataset, size, seed and subset, and its
     * evaluation plan as the event has it (null fields, imports before the plan: the splicer's settings apply).
     */
    static RunConfig config(CheckpointImported imported) {
        return new RunConfig(null, null, imported.dataset(), null, null, null, null, null, imported.seed(), null,
                imported.evalSize()).withEvalSubset(imported.evalSubset(), imported.evalIndices()).withDefaults()
                .withEvalPlan(imported.evalPlan());
    }

    /**
     * The dataset of an import, when its images and classes are what the manifest's network takes.
     *
     * @param cuts the configured cuts, evaluated when the event names none (imports before the plan)
     * @throws IllegalArgumentException with what does not fit
     */
    static DatasetInfo requireFit(CheckpointImported imported, RunConfig config, List<String> cuts) {
        ImportManifest m = imported.manifest();
        DatasetInfo info = DatasetInfo.of(config.dataset())
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset " + config.dataset() + "; known: "
                        + DatasetInfo.KNOWN.keySet()));
        if (info.channels() != m.channels() || info.height() != m.height() || info.width() != m.width()) {
            throw new IllegalArgumentException("dataset " + info.name() + " has images of shape [" + info.channels()
                    + ", " + info.height() + ", " + info.width() + "] but the imported network takes input.shape "
                    + m.input().shape());
        }
        if (info.numClasses() != m.numClasses()) {
            throw new IllegalArgumentException("dataset " + info.name() + " has " + info.numClasses()
                    + " classes but the imported network has numClasses " + m.numClasses());
        }
        for (RunConfig.FieldError e : config.validate()) {
            if (EVALUATION_FIELDS.contains(e.field())) {
                throw new IllegalArgumentException(e.field() + " " + e.message());
            }
        }
        EvalPlan plan = imported.evalPlan();
        for (RunConfig.FieldError e : plan.problems(0, info.name(), m.cuts(), "the imported manifest",
                Set.of(BnMode.CARRY))) {
            throw new IllegalArgumentException(e.field() + " " + e.message());
        }
        for (String cut : plan.cuts() != null ? plan.cuts() : cuts) {
            if (!m.cuts().contains(cut)) {
                throw new IllegalArgumentException("the splicer evaluates cut '" + cut + "' but the imported manifest "
                        + "has cuts " + m.cuts());
            }
        }
        if (imported.segments().size() != m.segments().size()) {
            throw new IllegalArgumentException("the event names " + imported.segments().size()
                    + " segment files for " + m.segments().size() + " segments");
        }
        return info;
    }
}
