package io.splicelab.gateway.runs;

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
     * @param name the name a researcher gave the run ({@code PATCH /api/runs/{id}}), null when none
     * @param tags its tags, empty when none
     */
    public record RunSummary(String runId, String status, JsonNode config, Integer step, Integer totalSteps,
            Double loss, Double accuracy, Double imagesPerSecond, String failure, Instant createdAt,
            Instant updatedAt, String groupId, String name, List<String> tags) {
    }

    /**
     * One run with its checkpoints, the number of hybrid cells evaluated so far and where its hybrid grid stands
     * ({@code grid}, null until the splicer reported on it).
     *
     * @param evalSubset which test images the run's hybrids are evaluated on (its configuration's
     *     {@code evalSubset}, as cells of {@code test} record it), e.g. {@code stratified size=500 seed=1},
     *     {@code first size=500} or {@code indices size=37 sha256=1f0c9a2b3d4e5f60}; training sets are always
     *     stratified (each cell names its own)
     * @param name the name a researcher gave the run ({@code PATCH /api/runs/{id}}), null when none
     * @param tags its tags, empty when none
     * @param notes notes on the run, null when none
     */
    public record RunDetail(String runId, String status, JsonNode config, Integer step, Integer totalSteps,
            Double loss, Double accuracy, Double imagesPerSecond, List<CheckpointView> checkpoints, long cells,
            GridView grid, String failure, Instant createdAt, Instant updatedAt, String groupId, String evalSubset,
            String name, List<String> tags, String notes) {
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

    /** A training-progress point. */
    public record ProgressView(int step, int totalSteps, double loss, double accuracy, double learningRate,
            double imagesPerSecond) {
    }

    /** The temporal-consistency summaries of a run, one per (cut, evalSet, bnMode). */
    public record SummariesView(String runId, List<SummaryView> summaries) {
    }

    /** One summary: mean relative accuracy by lag, its mean (the TC score) and the first lag below threshold. */
    public record SummaryView(String cut, String evalSet, String bnMode, List<Integer> steps, JsonNode curve,
            double tcScore, Integer dropLag, double threshold, Instant updatedAt) {
    }

    /** A checkpoint of a run. */
    public record CheckpointView(int step, int index, double trainLoss, double trainAccuracy, String artifactUri) {
    }

    /** The results of statistical analyses of a run. */
    public record StatsView(String runId, List<StatsResultView> results) {
    }

    /** One analysis result; {@code shape} says how to draw {@code values}. */
    public record StatsResultView(String analysis, String cut, String probeSet, List<Integer> steps, String shape,
            JsonNode parameters, JsonNode values, Instant updatedAt) {
    }
}
