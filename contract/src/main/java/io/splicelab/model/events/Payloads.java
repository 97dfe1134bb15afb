package io.splicelab.model.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.values.BnMode;
import io.splicelab.model.values.Cut;
import io.splicelab.model.values.EvalSet;
import io.splicelab.model.values.Metric;
import io.splicelab.model.values.ProbeSet;
import java.util.List;
import java.util.Map;

/**
 * The data of every event type. Each payload names its run, so a consumer needs nothing but the event
 * (and the artifacts it points to) to do its work.
 *
 * <p>Names from closed or checked sets (cut, evaluation set, BatchNorm mode, probe set) stay {@code String} fields,
 * so the records' constructors (the plug-in API) and the JSON stay as they were; the {@code ...Value()} accessors
 * give the typed value of {@code io.splicelab.model.values} and throw {@link IllegalArgumentException} with the
 * reason for a name outside the set, which a consumer's rule turns into a dead letter. Fields added later are left out
 * of the JSON when null, so an event without them reads and writes as it did.
 */
public final class Payloads {
    private Payloads() {
    }

    /**
     * A payload of one part of the hybrid grid, named by cut, evaluation set and BatchNorm mode; the names typed, each
     * accessor throwing {@link IllegalArgumentException} with the reason for a name outside its set.
     */
    public interface GridNames {
        String cut();

        String evalSet();

        String bnMode();

        /** The cut, typed; refused when missing or blank. */
        default Cut cutValue() {
            return Cut.parse(cut());
        }

        /** The evaluation set, typed. */
        default EvalSet evalSetValue() {
            return EvalSet.parse(evalSet());
        }

        /** The BatchNorm mode, typed. */
        default BnMode bnModeValue() {
            return BnMode.parse(bnMode());
        }
    }

    /** Command: train a run with this configuration. */
    public record RunRequested(String runId, RunConfig config) {
    }

    /** The trainer accepted the run and started training. */
    public record RunStarted(String runId, RunConfig config, List<Integer> checkpointSteps) {
    }

    /** Command: stop a run cleanly at the next step. */
    public record RunCancelRequested(String runId, String reason) {
    }

    /** The run was stopped on request; its checkpoints so far stay valid. */
    public record RunCancelled(String runId, int step) {
    }

    /** Training progress every few steps. */
    public record RunProgress(String runId, int step, int totalSteps, double loss, double accuracy,
            double learningRate, double imagesPerSecond) {
    }

    /**
     * Training finished; every checkpoint has been published.
     *
     * @param finalTrainAccuracy the accuracy on the last training minibatch (the API's {@code trainBatchAccuracy}),
     *     not a test accuracy
     * @param finalTestAccuracy the final checkpoint's accuracy on the whole test split ({@code finalTestSamples}
     *     images); null in events before it was published and when the dataset has no test split
     */
    public record RunCompleted(String runId, int steps, int checkpoints, double finalTrainAccuracy,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double finalTestAccuracy,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer finalTestSamples) {
        /** A completion without the final test accuracy (the record before it). */
        public RunCompleted(String runId, int steps, int checkpoints, double finalTrainAccuracy) {
            this(runId, steps, checkpoints, finalTrainAccuracy, null, null);
        }
    }

    /** Training failed; the reason is for humans. */
    public record RunFailed(String runId, String reason) {
    }

    /**
     * The run was deleted (by the gateway, {@code DELETE /api/runs/{id}}): its artifacts are gone from the store and
     * a deletion marker ({@code RunArtifacts.deletionMarker}) stays. A consumer drops what it holds of the run and
     * ignores the run's later events (they stay in Kafka), rather than dead-lettering them for their missing
     * artifacts.
     */
    public record RunDeleted(String runId) {
    }

    /**
     * A checkpoint: parameters and BatchNorm running statistics at a step, written once to the artifact
     * store.
     */
    public record CheckpointCreated(String runId, int step, int index, RunConfig config, NetworkSpec network,
            ArtifactRef parameters, double trainLoss, double trainAccuracy) {
    }

    /**
     * A checkpoint trained elsewhere, imported as one ONNX file per segment (see {@link ImportManifest}), written
     * once to the artifact store. It joins the grid of its run like a created checkpoint; its evaluation sets
     * ({@code evalSets}, e.g. {@code test}, the test subset of {@code dataset} that {@code evalSubset} names,
     * {@code evalSize} examples, subset seed {@code seed}, and its corrupted copies) are resolved like a run
     * configuration's fields of the same names. Imported networks carry their own BatchNorm
     * statistics, so only BatchNorm mode {@code carry} applies.
     *
     * @param manifest the validated manifest (as imported)
     * @param manifestFile the manifest file in the artifact store
     * @param segments the segment files in the store, in the manifest's segment order
     * @param evalSubset {@code stratified} (also when null: imports before the setting), {@code first} or
     *     {@code indices}
     * @param evalIndices the indices into the test split, with {@code evalSubset=indices}
     * @param evalSets the evaluation sets of the import's grid ({@link EvalPlan}); null (imports before the plan):
     *     the splicer's configured sets
     * @param bnModes {@code [carry]}; null: the same
     * @param cuts the cuts of the grid, cuts of the manifest; null: the splicer's configured cuts
     */
    public record CheckpointImported(String runId, int step, int index, String dataset, Integer evalSize, Long seed,
            ImportManifest manifest, ArtifactRef manifestFile, List<ArtifactRef> segments,
            @JsonInclude(JsonInclude.Include.NON_NULL) String evalSubset,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> evalIndices,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> evalSets,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> bnModes,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> cuts) {
        /** An import on the seeded class-stratified test subset (the record before the evaluation subset). */
        public CheckpointImported(String runId, int step, int index, String dataset, Integer evalSize, Long seed,
                ImportManifest manifest, ArtifactRef manifestFile, List<ArtifactRef> segments) {
            this(runId, step, index, dataset, evalSize, seed, manifest, manifestFile, segments, null, null);
        }

        /** An import without its evaluation plan (the record before the plan: the splicer's settings apply). */
        public CheckpointImported(String runId, int step, int index, String dataset, Integer evalSize, Long seed,
                ImportManifest manifest, ArtifactRef manifestFile, List<ArtifactRef> segments, String evalSubset,
                List<Integer> evalIndices) {
            this(runId, step, index, dataset, evalSize, seed, manifest, manifestFile, segments, evalSubset,
                    evalIndices, null, null, null);
        }

        /** The evaluation plan the import asked for (a null field: the splicer's setting). */
        public EvalPlan evalPlan() {
            return new EvalPlan(evalSets, bnModes, cuts);
        }
    }

    /**
     * One cell of the hybrid grid: shallow part (up to {@code cut}) from the checkpoint at
     * {@code shallowStep}, deep part from {@code deepStep}, evaluated on {@code evalSet}.
     * Natural key: (runId, cut, evalSet, bnMode, shallowStep, deepStep).
     *
     * @param evalSubset which images of the split the evaluation set holds, as
     *     {@link io.splicelab.model.values.EvalSubset#describe} writes it (e.g. {@code first size=500}); null in cells
     *     computed before it was recorded
     * @param deepDonorAtChance true when the deep donor's own accuracy on the evaluation set is not above chance by
     *     more than two standard errors (docs/science.md section 2, the chance rule): then {@code metrics} has no
     *     {@code relativeAccuracy} (chance over chance says nothing) and the cell is outside the TC means; null in
     *     cells computed before the rule
     */
    public record HybridEvaluated(String runId, String cut, String evalSet, String bnMode, String precision,
            int shallowStep, int deepStep, int samples, Map<String, Double> metrics,
            @JsonInclude(JsonInclude.Include.NON_NULL) String evalSubset,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean deepDonorAtChance) implements GridNames {
        /** A cell without its evaluation subset (the record before it was recorded). */
        public HybridEvaluated(String runId, String cut, String evalSet, String bnMode, String precision,
                int shallowStep, int deepStep, int samples, Map<String, Double> metrics) {
            this(runId, cut, evalSet, bnMode, precision, shallowStep, deepStep, samples, metrics, null, null);
        }

        /** A cell without the chance flag (the record before it was computed). */
        public HybridEvaluated(String runId, String cut, String evalSet, String bnMode, String precision,
                int shallowStep, int deepStep, int samples, Map<String, Double> metrics, String evalSubset) {
            this(runId, cut, evalSet, bnMode, precision, shallowStep, deepStep, samples, metrics, evalSubset, null);
        }

        /** One metric of the cell; null when the cell lacks it. */
        public Double metric(Metric metric) {
            return metric.in(metrics);
        }
    }

    /**
     * SGD noise at a checkpoint (docs/science.md section 4): an m x p float32 matrix of minibatch gradient
     * deviations {@code g_i - mean g} (p = projectedDim when a seeded random projection was applied),
     * and optionally the parameter update since the previous checkpoint as a 1 x p matrix.
     */
    public record NoiseSampled(String runId, int step, int minibatches, int batchSize, long parameters,
            Integer projectedDim, Long projectionSeed, ArtifactRef noise, ArtifactRef update) {
    }

    /**
     * Summary of the hybrid grid per cut, evaluation set and BN mode (docs/science.md section 2, temporal
     * consistency): the temporal-consistency curve (mean relative accuracy by lag b - a in checkpoints, forward
     * pairs a < b), the TC score (its mean over the forward triangle) and the first lag whose mean relative
     * accuracy falls below {@code threshold} (null if none), over every checkpoint; pairs whose deep donor is at
     * chance are left out of every mean. Natural key: (runId, cut, evalSet, bnMode).
     *
     * <p>Added later (absent in older events): {@code all} and {@code excludingInitial}, the two variants in full
     * (with and without the initial checkpoint, step 0, as shallow donor; curves by lag in checkpoints and in
     * steps), {@code tcExcludingInitial} (that variant's TC score, null when it has no pair), {@code initialStep}
     * (0, or null when the run has no step-0 checkpoint and both variants are the same) and {@code chancePairs}
     * (forward pairs left out because their deep donor is at chance).
     */
    public record TcSummaryComputed(String runId, String cut, String evalSet, String bnMode, List<Integer> steps,
            Map<String, Double> curve, double tcScore, Integer dropLag, double threshold,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double tcExcludingInitial,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer initialStep,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer chancePairs,
            @JsonInclude(JsonInclude.Include.NON_NULL) TcVariant all,
            @JsonInclude(JsonInclude.Include.NON_NULL) TcVariant excludingInitial) implements GridNames {
        /** A summary with the fields it always had (no variants). */
        public TcSummaryComputed(String runId, String cut, String evalSet, String bnMode, List<Integer> steps,
                Map<String, Double> curve, double tcScore, Integer dropLag, double threshold) {
            this(runId, cut, evalSet, bnMode, steps, curve, tcScore, dropLag, threshold, null, null, null, null, null);
        }
    }

    /**
     * One variant of a temporal-consistency summary.
     *
     * @param tc the mean relative accuracy over the variant's forward pairs; null when it has none
     * @param pairs how many forward pairs the mean is over
     * @param curveByCheckpoints mean relative accuracy by lag in checkpoints (b's index minus a's: "1", "2", ...)
     * @param curveBySteps mean relative accuracy by lag in training steps (b's step minus a's: "100", ...)
     * @param dropLag the first checkpoint lag whose mean falls below the summary's threshold, null if none
     * @param dropLagSteps the first step lag whose mean falls below the threshold, null if none
     */
    public record TcVariant(Double tc, int pairs, Map<String, Double> curveByCheckpoints,
            Map<String, Double> curveBySteps, Integer dropLag, Integer dropLagSteps) {
    }

    /**
     * Where a run's hybrid grid stands, published by the splicer while it works and when it stops: how many
     * cells of the checkpoint at {@code step} are computed so far (of {@code stepCellsExpected}), how many
     * of the whole grid (of {@code gridCellsExpected}, for the checkpoints known so far: every pair, both
     * orders, every cut, evaluation set and BN mode) and the grid's status: {@code computing},
     * {@code complete} (every checkpoint the store has for the run is in the grid and the run has finished
     * producing checkpoints), {@code waiting} (every known checkpoint done, more may come) or
     * {@code incomplete} ({@code reason} says why: a checkpoint that could not be evaluated).
     * Natural key: (runId); the latest event wins.
     */
    public record GridProgress(String runId, int step, int stepCellsComputed, int stepCellsExpected,
            int gridCellsComputed, int gridCellsExpected, int checkpoints, String status, String reason) {
        public static final String COMPUTING = "computing";
        public static final String WAITING = "waiting";
        public static final String COMPLETE = "complete";
        public static final String INCOMPLETE = "incomplete";
    }

    /** Probe-set features at every cut of one checkpoint, as an artifact (see FeatureSnapshotCodec). */
    public record FeaturesSnapshotted(String runId, int step, String probeSet, List<String> cuts, int samples,
            ArtifactRef features) {
        /** The probe set, typed; throws {@link IllegalArgumentException} when it is not a plain name. */
        public ProbeSet probeSetValue() {
            return ProbeSet.parse(probeSet);
        }
    }

    /**
     * A result of a statistical analysis. Natural key: (runId, source, analysis, cut, probeSet, evalSet, bnMode,
     * steps), the source being the envelope's (the producer: {@code /stats-service}, {@code /plugins/<name>}); absent
     * names count as empty. {@code shape} tells a generic viewer how to draw {@code values}: {@code scalar},
     * {@code table} or {@code series}.
     *
     * @param evalSet the evaluation set of the hybrid grid the result is about (as {@link HybridEvaluated}'s), or null
     *     (left out of the JSON) for a result about none
     * @param bnMode the BatchNorm mode of the hybrid grid the result is about, or null (left out of the JSON)
     */
    public record StatsComputed(String runId, String analysis, String cut, String probeSet,
            @JsonInclude(JsonInclude.Include.NON_NULL) String evalSet,
            @JsonInclude(JsonInclude.Include.NON_NULL) String bnMode, List<Integer> steps, String shape,
            Map<String, Object> parameters, Map<String, Object> values) {
        /** A result about no evaluation set or BatchNorm mode of the grid (the record before they were keyed). */
        public StatsComputed(String runId, String analysis, String cut, String probeSet, List<Integer> steps,
                String shape, Map<String, Object> parameters, Map<String, Object> values) {
            this(runId, analysis, cut, probeSet, null, null, steps, shape, parameters, values);
        }
    }

    /**
     * The network a checkpoint belongs to, enough to rebuild it.
     */
    public record NetworkSpec(String architecture, double widthMultiplier, int channels, int height, int width,
            int numClasses) {
    }
}
