package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads;
import io.splicelab.model.events.RunConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a follower knows about one run, folded from its events. Idempotent: a replayed event (after a reconnect the
 * gateway replays the past first) changes nothing, and progress never goes backwards. Pure, no I/O.
 *
 * <p>Over 400 lines because it is one fold over every event type of a run (and the REST snapshot that stands in
 * for them): the rules that make it idempotent and monotone are easier to check side by side than spread over
 * classes.
 *
 * <p>The run is finished when {@code run.completed} arrived and, for each of the stage cuts, all K*K hybrid cells
 * (both orders and the diagonal of K checkpoints) arrived; it has failed when {@code run.failed} arrived.
 */
public final class FollowState {

    private final String runId;
    private final List<String> cuts;
    private String status = "REQUESTED";
    private int step;
    private int totalSteps;
    private double loss = Double.NaN;
    private double accuracy = Double.NaN;
    private double imagesPerSecond = Double.NaN;
    private List<Integer> plannedCheckpoints = List.of();
    private final TreeSet<Integer> checkpoints = new TreeSet<>();
    /** Per stage cut, the (shallow, deep) pairs received: the cells that count toward completion. */
    private final Map<String, TreeSet<Long>> pairs = new LinkedHashMap<>();
    /** Every cell received, by natural key, for a grid without the REST call. */
    private final Map<List<Object>, HybridGrid.Cell> cells = new LinkedHashMap<>();
    private boolean startedSeen;
    private boolean completed;
    private int completedCheckpoints = -1;
    private double finalTrainAccuracy = Double.NaN;
    private double finalTestAccuracy = Double.NaN;
    private int finalTestSamples;
    private String failure;
    private int stats;
    /** The splicer's latest word on the grid ({@code hybrid.progress}); null until one arrived. */
    private Payloads.GridProgress gridProgress;
    /** Services (and Kafka) that are not UP, as the stack or the gateway sees them. */
    private List<String> servicesNotUp = List.of();

    public FollowState(String runId) {
        this(runId, HybridGrid.STAGE_CUTS);
    }

    public FollowState(String runId, List<String> cuts) {
        this.runId = runId;
        this.cuts = List.copyOf(cuts);
        this.cuts.forEach(c -> pairs.put(c, new TreeSet<>()));
    }

    /** As {@link #apply(String, JsonNode)}, for a known type. */
    public Optional<String> apply(EventType type, JsonNode data) {
        return apply(type.type(), data);
    }

    /**
     * Folds one CloudEvent (its type and the envelope's {@code data}) into the state.
     *
     * @return a line worth telling the user (a checkpoint, the end of training), if any
     */
    public Optional<String> apply(String type, JsonNode data) {
        if (type == null || data == null || data.isMissingNode() || data.isNull()) {
            return Optional.empty();
        }
        String eventRun = data.path("runId").asText(null);
        if (eventRun != null && runId != null && !eventRun.equals(runId)) {
            return Optional.empty();
        }
        EventType known = EventType.ofType(type).orElse(null);
        if (known == null) {
            return Optional.empty(); // a type this follower does not show
        }
        switch (known) {
            case RUN_STARTED -> {
                boolean first = !startedSeen;
                startedSeen = true;
                List<Integer> planned = new ArrayList<>();
                data.path("checkpointSteps").forEach(n -> planned.add(n.asInt()));
                if (!planned.isEmpty()) {
                    plannedCheckpoints = List.copyOf(planned);
                } else {
                    planFromConfig(data.path("config"));
                }
                JsonNode steps = data.path("config").path("steps");
                if (steps.isNumber() && totalSteps == 0) {
                    totalSteps = steps.asInt();
                }
                if (!completed && failure == null) {
                    status = "RUNNING";
                }
                return first ? Optional.of("run " + runId + " started: " + totalSteps + " steps, checkpoints at "
                        + plannedCheckpoints) : Optional.empty();
            }
            case RUN_PROGRESS -> {
                int s = data.path("step").asInt();
                if (data.path("totalSteps").asInt() > 0) {
                    totalSteps = data.path("totalSteps").asInt();
                }
                if (s >= step) {
                    step = s;
                    loss = number(data, "loss", loss);
                    accuracy = number(data, "accuracy", accuracy);
                    imagesPerSecond = number(data, "imagesPerSecond", imagesPerSecond);
                }
                if (!completed && failure == null) {
                    status = "RUNNING";
                }
                return Optional.empty();
            }
            case CHECKPOINT_IMPORTED -> {
                int s = data.path("step").asInt();
                return checkpoints.add(s)
                        ? Optional.of(String.format("imported checkpoint %d at step %d", checkpoints.size(), s))
                        : Optional.empty();
            }
            case CHECKPOINT_CREATED -> {
                int s = data.path("step").asInt();
                if (checkpoints.add(s)) {
                    double acc = data.path("trainAccuracy").asDouble(Double.NaN);
                    return Optional.of(String.format("checkpoint %d at step %d%s", checkpoints.size(), s,
                            Double.isNaN(acc) ? "" : String.format(" (training batch accuracy %.3f)", acc)));
                }
                return Optional.empty();
            }
            case HYBRID_EVALUATED -> {
                addCell(HybridGrid.cellFromJson(data));
                return Optional.empty();
            }
            case STATS_COMPUTED -> {
                stats++;
                return Optional.empty();
            }
            case HYBRID_PROGRESS -> {
                return applyGridProgress(data);
            }
            case RUN_COMPLETED -> {
                boolean first = !completed;
                completed = true;
                status = "COMPLETED";
                completedCheckpoints = data.path("checkpoints").asInt(-1);
                finalTrainAccuracy = number(data, "finalTrainAccuracy", finalTrainAccuracy);
                finalTestAccuracy = number(data, "finalTestAccuracy", finalTestAccuracy);
                finalTestSamples = data.path("finalTestSamples").asInt(finalTestSamples);
                if (data.path("steps").asInt() > 0) {
                    step = Math.max(step, data.path("steps").asInt());
                    totalSteps = Math.max(totalSteps, data.path("steps").asInt());
                }
                if (!first) {
                    return Optional.empty();
                }
                String acc = accuracies();
                return Optional.of(String.format("training completed: %d steps, %d checkpoints%s%s", step,
                        expectedCheckpoints(), acc, finished() ? "" : String.format(
                                "; waiting for the hybrid grid (%d/%d cells)", receivedCells(), expectedCells())));
            }
            case RUN_FAILED -> {
                boolean first = failure == null;
                failure = data.path("reason").asText("(no reason given)");
                status = "FAILED";
                return first ? Optional.of("run failed: " + failure) : Optional.empty();
            }
            case RUN_CANCELLED -> {
                boolean first = failure == null;
                failure = "cancelled at step " + data.path("step").asInt();
                status = "CANCELLED";
                return first ? Optional.of("run " + failure) : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /**
     * The splicer's progress on the grid: kept when it has at least as many cells as the last one (a replay or a
     * reordering never moves it back), and a terminal status (complete, incomplete) is not undone by an older
     * "computing" with the same count. Says so once when the grid became incomplete.
     */
    private Optional<String> applyGridProgress(JsonNode d) {
        Payloads.GridProgress p = new Payloads.GridProgress(runId, d.path("step").asInt(),
                d.path("stepCellsComputed").asInt(), d.path("stepCellsExpected").asInt(),
                d.path("gridCellsComputed").asInt(), d.path("gridCellsExpected").asInt(), d.path("checkpoints").asInt(),
                d.path("status").asText(""), d.path("reason").isTextual() ? d.path("reason").asText() : null);
        Payloads.GridProgress old = gridProgress;
        if (old != null && (p.gridCellsComputed() < old.gridCellsComputed()
                || (p.gridCellsComputed() == old.gridCellsComputed() && terminal(old.status()) && !terminal(p.status())))) {
            return Optional.empty();
        }
        gridProgress = p;
        boolean newlyIncomplete = gridIncomplete() && (old == null || !Payloads.GridProgress.INCOMPLETE.equals(old.status()));
        return newlyIncomplete ? Optional.of("hybrid grid incomplete" + (p.reason() == null ? "" : ": " + p.reason())
                + " (" + p.gridCellsComputed() + "/" + p.gridCellsExpected() + " cells)") : Optional.empty();
    }

    private static boolean terminal(String status) {
        return Payloads.GridProgress.COMPLETE.equals(status) || Payloads.GridProgress.INCOMPLETE.equals(status);
    }

    /** The splicer's latest progress on the grid, if it sent any. */
    public Optional<Payloads.GridProgress> gridProgress() {
        return Optional.ofNullable(gridProgress);
    }

    /** The splicer said the grid is incomplete (and the cells that arrived do not make it whole). */
    public boolean gridIncomplete() {
        return gridProgress != null && Payloads.GridProgress.INCOMPLETE.equals(gridProgress.status()) && !finished();
    }

    /** Hybrid cells done: the splicer's count when it sent one, else the stage-cut cells received. */
    public int hybridsDone() {
        return gridProgress != null ? Math.max(gridProgress.gridCellsComputed(), 0) : receivedCells();
    }

    /** Hybrid cells expected: the splicer's count when it sent one, else K*K per stage cut (0 while unknown). */
    public int hybridsExpected() {
        return gridProgress != null && gridProgress.gridCellsExpected() > 0 ? gridProgress.gridCellsExpected()
                : expectedCells();
    }

    /** Services (and Kafka) that are not UP, each "name STATE"; set by the follower from a {@link StackWatch}. */
    public void servicesNotUp(List<String> notUp) {
        this.servicesNotUp = List.copyOf(notUp);
    }

    public List<String> servicesNotUp() {
        return servicesNotUp;
    }

    /** Folds a hybrid cell (from an event or a polled grid). */
    public void addCell(HybridGrid.Cell c) {
        cells.put(List.of(c.cut(), String.valueOf(c.evalSet()), String.valueOf(c.bnMode()), c.shallowStep(),
                c.deepStep()), c);
        TreeSet<Long> p = pairs.get(c.cut());
        if (p != null) {
            p.add(((long) c.shallowStep() << 32) | (c.deepStep() & 0xffffffffL));
        }
    }

    /** Folds a grid read from the gateway; once training completed, its checkpoint list tells K if nothing else did. */
    public void applyGrid(HybridGrid grid) {
        grid.cells().forEach(this::addCell);
        if (completed && plannedCheckpoints.isEmpty() && completedCheckpoints < 0 && !grid.checkpoints().isEmpty()) {
            plannedCheckpoints = List.copyOf(new TreeSet<>(grid.checkpoints()));
        }
    }

    /** The checkpoint steps a run configuration plans (the same rule as the trainer's), when none are known. */
    private void planFromConfig(JsonNode config) {
        if (!plannedCheckpoints.isEmpty() || !config.isObject() || !config.path("steps").isNumber()) {
            return;
        }
        try {
            RunConfig c = EventCodec.mapper().treeToValue(config, RunConfig.class).withDefaults();
            if (c.steps() > 0 && c.checkpointInterval() > 0) {
                plannedCheckpoints = List.copyOf(c.checkpointSteps());
            }
            if (totalSteps == 0) {
                totalSteps = c.steps();
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a configuration we understand: K comes from the events
        }
    }

    /** Folds the gateway's run snapshot ({@code GET /api/runs/{id}}); used when the event stream is down. */
    public void applySnapshot(JsonNode run) {
        String s = run.path("status").asText("");
        if (run.path("totalSteps").asInt() > 0) {
            totalSteps = run.path("totalSteps").asInt();
        }
        if (run.path("step").asInt() >= step) {
            step = run.path("step").asInt();
            loss = number(run, "loss", loss);
            // trainBatchAccuracy since the rename; a gateway from before calls it accuracy
            accuracy = number(run, run.has("trainBatchAccuracy") ? "trainBatchAccuracy" : "accuracy", accuracy);
            finalTestAccuracy = number(run, "testAccuracy", finalTestAccuracy);
            finalTestSamples = run.path("testSamples").asInt(finalTestSamples);
            imagesPerSecond = number(run, "imagesPerSecond", imagesPerSecond);
        }
        run.path("checkpoints").forEach(n -> checkpoints.add(n.isObject() ? n.path("step").asInt() : n.asInt()));
        planFromConfig(run.path("config"));
        switch (s) {
            case "RUNNING" -> {
                if (!completed && failure == null) {
                    status = s;
                }
            }
            case "COMPLETED" -> {
                completed = true;
                status = s;
                if (completedCheckpoints < 0 && !checkpoints.isEmpty()) {
                    completedCheckpoints = checkpoints.size();
                }
            }
            case "CANCELLED" -> {
                status = s;
                if (failure == null) {
                    failure = "cancelled";
                }
            }
            case "FAILED" -> {
                status = s;
                JsonNode f = run.path("failure");
                failure = f.isMissingNode() || f.isNull() ? "(no reason given)"
                        : f.isTextual() ? f.asText() : f.path("reason").asText(f.toString());
            }
            default -> {
            }
        }
    }

    private static double number(JsonNode n, String field, double fallback) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.asDouble() : fallback;
    }

    // ---------------------------------------------------------------- derived

    /** K: the checkpoints the run has (after completion) or plans; 0 while unknown. */
    public int expectedCheckpoints() {
        if (completedCheckpoints > 0) {
            return completedCheckpoints;
        }
        return Math.max(plannedCheckpoints.size(), completed ? checkpoints.size() : 0);
    }

    /** K*K per stage cut; 0 while K is unknown. */
    public int expectedCells() {
        int k = expectedCheckpoints();
        return k * k * cuts.size();
    }

    /** Distinct (cut, shallow, deep) cells of the stage cuts received so far. */
    public int receivedCells() {
        return pairs.values().stream().mapToInt(TreeSet::size).sum();
    }

    /** Training completed and every stage cut has its K*K cells. */
    public boolean finished() {
        if (!completed || failure != null) {
            return false;
        }
        int k = expectedCheckpoints();
        if (k <= 0) {
            return false;
        }
        return pairs.values().stream().allMatch(p -> p.size() >= k * k);
    }

    public boolean failed() {
        return failure != null;
    }

    public String failure() {
        return failure;
    }

    public String runId() {
        return runId;
    }

    public String status() {
        return status;
    }

    public int step() {
        return step;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public double loss() {
        return loss;
    }

    public double accuracy() {
        return accuracy;
    }

    public double imagesPerSecond() {
        return imagesPerSecond;
    }

    public boolean completed() {
        return completed;
    }

    public double finalTrainAccuracy() {
        return finalTrainAccuracy;
    }

    /** The final checkpoint's accuracy on the whole test split (run.completed); NaN when not (yet) known. */
    public double finalTestAccuracy() {
        return finalTestAccuracy;
    }

    /**
     * The run's final accuracies for a completion line: {@code , test accuracy 0.912 (10000 test images), last
     * training batch accuracy 0.953}; the parts not known are left out, "" when none is.
     */
    public String accuracies() {
        StringBuilder b = new StringBuilder();
        if (!Double.isNaN(finalTestAccuracy)) {
            b.append(String.format(java.util.Locale.ROOT, ", test accuracy %.3f", finalTestAccuracy));
            if (finalTestSamples > 0) {
                b.append(" (").append(finalTestSamples).append(" test images)");
            }
        }
        if (!Double.isNaN(finalTrainAccuracy)) {
            b.append(String.format(java.util.Locale.ROOT, ", last training batch accuracy %.3f", finalTrainAccuracy));
        }
        return b.toString();
    }

    public List<Integer> plannedCheckpoints() {
        return plannedCheckpoints;
    }

    /** Steps of the checkpoints created so far. */
    public List<Integer> checkpoints() {
        return new ArrayList<>(checkpoints);
    }

    public int statsResults() {
        return stats;
    }

    public List<String> cuts() {
        return cuts;
    }

    /** The cells received so far as a grid (a fallback when the hybrids endpoint cannot be read). */
    public HybridGrid grid() {
        List<Integer> steps = plannedCheckpoints.isEmpty() ? checkpoints() : plannedCheckpoints;
        return new HybridGrid(runId, steps, cuts, new ArrayList<>(cells.values()));
    }
}
