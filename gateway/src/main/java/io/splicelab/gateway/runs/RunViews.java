package io.splicelab.gateway.runs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the run endpoints; records so the API contract is visible in one place. */
public final class RunViews {
    private RunViews() {
    }

    /** The answer to a run request. */
    public record RunAccepted(String runId, String status, JsonNode config) {
    }

    /**
     * A run in the list; {@code groupId} is set when the run belongs to an experiment group.
     *
     * @param trainBatchAccuracy the accuracy on the latest training minibatch (what {@code accuracy} was before it
     *     was renamed: not a test accuracy)
     * @param testAccuracy the final checkpoint's accuracy on the whole test split ({@code testSamples} images),
     *     from the trainer's run.completed; null before the run completed (and for runs completed before it was
     *     published)
     * @param name the name a researcher gave the run ({@code PATCH /api/runs/{id}}), null when none
     * @param tags its tags, empty when none
     */
    public record RunSummary(String runId, String status, JsonNode config, Integer step, Integer totalSteps,
            Double loss, Double trainBatchAccuracy, Double imagesPerSecond, String failure, Instant createdAt,
            Instant updatedAt, String groupId, Double testAccuracy, Integer testSamples, String name,
            List<String> tags) {
        /** The latest training minibatch's accuracy, under its old name; not in the JSON. */
        @Deprecated
        @JsonIgnore
        public Double accuracy() {
            return trainBatchAccuracy;
        }
    }

    /**
     * One run with its checkpoints, the number of hybrid cells evaluated so far and where its hybrid grid stands
     * ({@code grid}, null until the splicer reported on it).
     *
     * @param evalSubset which test images the run's hybrids are evaluated on (its configuration's
     *     {@code evalSubset}, as cells of {@code test} record it), e.g. {@code stratified size=500 seed=1},
     *     {@code first size=500} or {@code indices size=37 sha256=1f0c9a2b3d4e5f60}; training sets are always
     *     stratified (each cell names its own)
     * @param trainBatchAccuracy the accuracy on the latest training minibatch (formerly {@code accuracy})
     * @param testAccuracy the final checkpoint's accuracy on the whole test split ({@code testSamples} images);
     *     null before the run completed; each checkpoint's accuracy on the evaluation sets is in {@code checkpoints}
     * @param name the name a researcher gave the run ({@code PATCH /api/runs/{id}}), null when none
     * @param tags its tags, empty when none
     * @param notes notes on the run, null when none
     * @param experimentId the experiment the run is a variant x seed of, null when none
     * @param recoveries steps the trainer found non-finite, rolled back and replayed (docs/science.md section 8);
     *     null before the first progress
     */
    public record RunDetail(String runId, String status, JsonNode config, Integer step, Integer totalSteps,
            Double loss, Double trainBatchAccuracy, Double imagesPerSecond, List<CheckpointView> checkpoints,
            long cells, GridView grid, String failure, Instant createdAt, Instant updatedAt, String groupId,
            String evalSubset, Double testAccuracy, Integer testSamples, String name, List<String> tags,
            String notes, String experimentId, Integer recoveries) {
        /** The latest training minibatch's accuracy, under its old name; not in the JSON. */
        @Deprecated
        @JsonIgnore
        public Double accuracy() {
            return trainBatchAccuracy;
        }
    }

    /**
     * Where a run's hybrid grid stands (the splicer's latest {@code io.splicelab.hybrid.progress}).
     *
     * @param status {@code computing}, {@code waiting} (every known checkpoint done, more may come),
     *     {@code complete} or {@code incomplete} (see {@code reason})
     * @param cellsComputed cells of the whole grid computed so far
     * @param cellsExpected cells of the whole grid for the checkpoints known so far
     * @param checkpoints the checkpoints known so far
     * @param step the checkpoint being evaluated
     * @param stepCellsComputed its cells computed so far
     * @param stepCellsExpected its cells in all
     * @param reason why the grid is incomplete
     * @param updatedAt the time of the report
     */
    public record GridView(String status, int cellsComputed, int cellsExpected, int checkpoints, int step,
            int stepCellsComputed, int stepCellsExpected, String reason, Instant updatedAt) {
    }

    /** One page of the run list and how many runs match in all. */
    public record RunPage(List<RunSummary> runs, long total, int page, int size) {
    }

    /** The answer to a cancel request: the command is in Kafka; the trainer stops at its next step. */
    public record CancelAccepted(String runId, String status) {
    }

    /**
     * A training-progress point.
     *
     * @param trainBatchAccuracy the accuracy on that step's training minibatch (formerly {@code accuracy})
     * @param recoveries the run's rolled-back non-finite steps up to this point (docs/science.md section 8); null
     *     for points recorded before the gateway kept the count
     */
    public record ProgressView(int step, int totalSteps, double loss, double trainBatchAccuracy, double learningRate,
            double imagesPerSecond, Integer recoveries) {
    }

    /** The temporal-consistency summaries of a run, one per (cut, evalSet, bnMode). */
    public record SummariesView(String runId, List<SummaryView> summaries) {
    }

    /**
     * One temporal-consistency summary (docs/science.md section 2) over the forward pairs (shallow part older than
     * the deep part), pairs whose deep donor is at chance left out.
     *
     * @param curve mean relative accuracy by lag in checkpoints (keys "1", "2", ...), over every checkpoint
     * @param tcScore the mean relative accuracy over every forward pair, the initial checkpoint's included
     * @param dropLag the first checkpoint lag whose mean falls below {@code threshold}, null if none
     * @param threshold the threshold of the drop lags
     * @param tcExcludingInitial the TC score without the pairs whose shallow part is the initial checkpoint (the
     *     random initialisation at {@code initialStep}); null in summaries from before it
     * @param initialStep the step of the initial checkpoint (0); null when the run has none (both variants equal)
     * @param chancePairs forward pairs left out because their deep donor is at chance
     * @param all the variant over every checkpoint: {@code tc}, {@code pairs}, {@code curveByCheckpoints} (lag in
     *     checkpoints), {@code curveBySteps} (lag in training steps), {@code dropLag}, {@code dropLagSteps}
     * @param excludingInitial the same without the initial checkpoint
     */
    public record SummaryView(String cut, String evalSet, String bnMode, List<Integer> steps, JsonNode curve,
            double tcScore, Integer dropLag, double threshold, Instant updatedAt, Double tcExcludingInitial,
            Integer initialStep, Integer chancePairs, JsonNode all, JsonNode excludingInitial) {
    }

    /**
     * A checkpoint of a run.
     *
     * @param trainBatchAccuracy the training minibatch accuracy the trainer reported at the checkpoint (formerly
     *     {@code trainAccuracy})
     * @param testAccuracy the checkpoint's own accuracy on the evaluation set {@code test} (BatchNorm statistics
     *     carried): the diagonal of its hybrid grid; null until the splicer evaluated it
     * @param accuracies the checkpoint's accuracy on every evaluation set and BatchNorm mode (the grid's diagonal)
     */
    public record CheckpointView(int step, int index, double trainLoss, double trainBatchAccuracy, String artifactUri,
            Double testAccuracy, List<CheckpointAccuracy> accuracies) {
    }

    /**
     * A checkpoint's accuracy on one evaluation set: its diagonal cell {@code H(t -> t)}.
     *
     * @param cut null in mode {@code carry}, where the diagonal is the plain checkpoint at every cut; in mode
     *     {@code recalibrate} the cut after which the BatchNorm statistics were re-estimated
     * @param samples the images of the evaluation set
     * @param deepDonorAtChance whether that accuracy is within two standard errors of chance
     */
    public record CheckpointAccuracy(String evalSet, String bnMode, String cut, double accuracy, int samples,
            String evalSubset, Boolean deepDonorAtChance) {
    }

    /** The results of statistical analyses of a run. */
    public record StatsView(String runId, List<StatsResultView> results) {
    }

    /**
     * One analysis result; {@code shape} says how to draw {@code values}; {@code source} is its producer's CloudEvents
     * source (null for results stored before it was kept).
     */
    public record StatsResultView(String analysis, String source, String cut, String probeSet, String evalSet,
            String bnMode, List<Integer> steps, String shape, JsonNode parameters, JsonNode values, Instant updatedAt) {
    }
}
