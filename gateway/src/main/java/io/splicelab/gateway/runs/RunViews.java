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

    /** A run in the list. */
    public record RunSummary(String runId, String status, JsonNode config, Integer step, Integer totalSteps,
            Double loss, Double accuracy, Double imagesPerSecond, String failure, Instant createdAt,
            Instant updatedAt) {
    }

    /** One run with its checkpoints and the number of hybrid cells evaluated so far. */
    public record RunDetail(String runId, String status, JsonNode config, Integer step, Integer totalSteps,
            Double loss, Double accuracy, Double imagesPerSecond, List<CheckpointView> checkpoints, long cells,
            String failure, Instant createdAt, Instant updatedAt) {
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
