package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.values.Metric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Follows one run on any gateway: reads its server-sent events ({@code GET /api/runs/{id}/events}, the past replayed
 * first, then live), shows training progress and the hybrid cells as they arrive, and when the run has finished
 * (training completed and K*K cells for each stage cut) prints the temporal-consistency grid of every cut with its
 * TC summary, then where to look next.
 *
 * <p>The event stream is read on a thread of its own and reconnects when it drops (the state is idempotent, so the
 * replay does no harm). When the stream is down, and every few seconds once training has completed, the follower
 * also polls the run and its hybrids, so a lost event never leaves it waiting.
 */
public final class RunFollower {
    /** How a follow ended. */
    public enum Outcome {
        /** Training completed and every stage cut has its K*K cells. */
        COMPLETED,
        /** The run failed; the message is the reason. */
        FAILED,
        /** Training completed but the splicer gave up on part of the grid (it said why). */
        INCOMPLETE,
        /** The timeout passed first; the run may still go on. */
        TIMED_OUT,
        /** The run or the gateway could not be read. */
        ERROR
    }

    /** The end of a follow; {@code grid} is what was printed (null when nothing was). */
    public record Result(String runId, Outcome outcome, String message, FollowState state, HybridGrid grid) {
        /** 0 when the run completed, 1 otherwise. */
        public int exitCode() {
            return outcome == Outcome.COMPLETED ? 0 : 1;
        }
    }

    private final GatewayClient client;
    private final PrintStream out;
    private final ProgressRenderer progress;
    private Path logDir;
    private String metric = Metric.ACCURACY.wire();
    private Duration pollWhenDisconnected = Duration.ofSeconds(5);
    private Duration pollAfterCompletion = Duration.ofSeconds(10);
    private boolean whereNext = true;
    private StackWatch watch = StackWatch.NONE;

    /** A follower that prints to stdout, with a live progress line when stdout is a terminal. */
    public RunFollower(String gatewayUrl) {
        this(gatewayUrl, System.out, ProgressRenderer.forStdout());
    }

    public RunFollower(String gatewayUrl, PrintStream out, ProgressRenderer progress) {
        this.client = new GatewayClient(gatewayUrl);
        this.out = out;
        this.progress = progress;
    }

    /** The stack's log directory, named under "where to look next" (none for a remote gateway). */
    public RunFollower logDir(Path dir) {
        this.logDir = dir;
        return this;
    }

    /** The metric of the grid (default {@code accuracy}). */
    public RunFollower metric(String metric) {
        this.metric = metric;
        return this;
    }

    /** How often to poll the REST API while the event stream is down (default 5 s). */
    public RunFollower pollWhenDisconnected(Duration every) {
        this.pollWhenDisconnected = every;
        return this;
    }

    /** How often to poll the hybrids once training has completed (default 10 s). */
    public RunFollower pollAfterCompletion(Duration every) {
        this.pollAfterCompletion = every;
        return this;
    }

    /** Whether to end with the "where to look next" block (default true). */
    public RunFollower whereNext(boolean print) {
        this.whereNext = print;
        return this;
    }

    /** Where to learn about services that are down (the local supervisor, or the gateway's {@code /api/services}). */
    public RunFollower watch(StackWatch watch) {
        this.watch = watch;
        return this;
    }

    public GatewayClient client() {
        return client;
    }

    // ---------------------------------------------------------------- follow

    /** Follows the run until it has finished, failed, or the timeout passed; prints as it goes. */
    public Result follow(String runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        FollowState state = new FollowState(runId);
        out.println("following run " + runId + " at " + client.baseUrl());
        try {
            state.applySnapshot(client.run(runId));
        } catch (GatewayClient.GatewayException e) {
            return end(state, Outcome.ERROR, e.getMessage(), false);
        } catch (IOException e) {
            return end(state, Outcome.ERROR, "cannot reach the gateway at " + client.baseUrl() + ": " + describe(e),
                    false);
        }
        EventStreamReader reader = new EventStreamReader(client, runId);
        reader.start();
        try {
            long lastPoll = System.nanoTime();
            long disconnectedSince = System.nanoTime();
            boolean connected = false;
            String lastProblem = null;
            while (true) {
                for (String m : watch.drainMessages()) {
                    progress.message(m, state);
                }
                state.servicesNotUp(watch.notUp());
                if (state.failed()) {
                    progress.finish(state);
                    return end(state, Outcome.FAILED, state.failure(), true);
                }
                if (state.finished()) {
                    progress.finish(state);
                    return end(state, Outcome.COMPLETED, "completed", true);
                }
                if (state.completed() && state.gridIncomplete()) {
                    progress.finish(state);
                    String reason = state.gridProgress().map(p -> p.reason()).orElse(null);
                    return end(state, Outcome.INCOMPLETE, reason == null ? "(no reason given)" : reason, true);
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    progress.finish(state);
                    String why = String.format("gave up after %s: training %d/%d steps, hybrid cells %d/%s%s%s. The run "
                            + "goes on; follow it again with: ./splicelab follow %s --gateway %s",
                            Durations.format(timeout), state.step(), state.totalSteps(), state.receivedCells(),
                            state.expectedCells() > 0 ? String.valueOf(state.expectedCells()) : "?",
                            state.servicesNotUp().isEmpty() ? "" : " (not up: " + String.join(", ",
                                    state.servicesNotUp()) + ")",
                            lastProblem == null ? "" : " (event stream: " + lastProblem + ")", runId, client.baseUrl());
                    return end(state, Outcome.TIMED_OUT, why, true);
                }
                boolean pollDue = (!connected && now - disconnectedSince >= pollWhenDisconnected.toNanos()
                        && now - lastPoll >= pollWhenDisconnected.toNanos())
                        || (state.completed() && now - lastPoll >= pollAfterCompletion.toNanos());
                if (pollDue) {
                    lastPoll = now;
                    poll(state);
                    progress.update(state);
                    continue;
                }
                Object item = reader.queue.poll(Math.min(500, Math.max(1, (deadline - now) / 1_000_000)),
                        TimeUnit.MILLISECONDS);
                if (item instanceof EventStreamReader.Event ev) {
                    onEvent(state, ev);
                } else if (item instanceof EventStreamReader.Signal sig) {
                    switch (sig.kind()) {
                        case CONNECTED -> {
                            connected = true;
                            lastProblem = null;
                        }
                        case DISCONNECTED -> {
                            if (connected) {
                                disconnectedSince = System.nanoTime();
                            }
                            connected = false;
                            lastProblem = sig.message();
                        }
                        case NOT_FOUND -> {
                            progress.finish(state);
                            return end(state, Outcome.ERROR, sig.message(), false);
                        }
                    }
                }
                progress.update(state);
            }
        } finally {
            reader.stop();
        }
    }

    private void onEvent(FollowState state, EventStreamReader.Event ev) {
        JsonNode envelope;
        try {
            envelope = EventCodec.mapper().readTree(ev.data());
        } catch (IOException e) {
            return;
        }
        if (envelope == null || !envelope.isObject()) {
            return;
        }
        String type = envelope.path("type").asText(null);
        if (type == null || type.isBlank()) {
            type = ev.name();
        }
        JsonNode data = envelope.has("data") && envelope.get("data").isObject() ? envelope.get("data") : envelope;
        if (data.isTextual()) {
            try {
                data = EventCodec.mapper().readTree(data.asText());
            } catch (IOException e) {
                return;
            }
        }
        Optional<String> message = state.apply(type, data);
        message.ifPresent(m -> progress.message(m, state));
    }

    /** Reads the run and its hybrid cells over REST: the fallback when events are missing. */
    private void poll(FollowState state) {
        try {
            boolean wasFailed = state.failed();
            boolean wasCompleted = state.completed();
            state.applySnapshot(client.run(state.runId()));
            if (!wasFailed && state.failed()) {
                progress.message("run failed: " + state.failure(), state);
            } else if (!wasCompleted && state.completed()) {
                progress.message("training completed; waiting for the hybrid grid", state);
            }
            if (state.completed() || state.receivedCells() > 0 || !state.checkpoints().isEmpty()) {
                state.applyGrid(client.hybrids(state.runId(), null, metric));
            }
        } catch (IOException e) {
            // the gateway is busy or restarting; the event stream or the next poll will tell
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Result end(FollowState state, Outcome outcome, String message, boolean reachedGateway)
            throws InterruptedException {
        HybridGrid grid = null;
        switch (outcome) {
            case COMPLETED -> {
                out.println();
                out.printf("run %s completed: %d steps, %d checkpoints %s%s%n", state.runId(), state.step(),
                        state.expectedCheckpoints(), checkpointList(state), state.accuracies());
                out.println();
                grid = fetchGrid(state);
                out.print(GridRenderer.render(grid, metric));
            }
            case FAILED -> {
                out.println();
                out.println("run " + state.runId() + " FAILED: " + message);
            }
            case INCOMPLETE -> {
                out.println();
                out.printf("run %s: training completed, but its hybrid grid is INCOMPLETE (%d/%d cells): %s%n",
                        state.runId(), state.hybridsDone(), state.hybridsExpected(), message);
                grid = fetchGrid(state);
                if (!grid.cells().isEmpty()) {
                    out.println("the partial grid (missing cells are blank; not a result to report):");
                    out.println();
                    out.print(GridRenderer.render(grid, metric));
                }
            }
            case TIMED_OUT -> {
                out.println();
                out.println(message);
                grid = fetchGrid(state);
                if (!grid.cells().isEmpty()) {
                    out.println("the grid so far:");
                    out.println();
                    out.print(GridRenderer.render(grid, metric));
                }
            }
            case ERROR -> out.println("error: " + message);
        }
        if (whereNext && reachedGateway) {
            out.print(whereToLookNext(client, state.runId(), metric, logDir));
        } else if (whereNext && logDir != null) {
            out.println("logs: " + logDir);
        }
        out.flush();
        return new Result(state.runId(), outcome, message, state, grid);
    }

    private static String checkpointList(FollowState s) {
        List<Integer> steps = s.plannedCheckpoints().isEmpty() ? s.checkpoints() : s.plannedCheckpoints();
        return steps.isEmpty() ? "" : "(steps " + steps.toString().replaceAll("[\\[\\]]", "") + ")";
    }

    /** The grid from the gateway (all cuts; then any stage cut it left out), else the cells the events carried. */
    private HybridGrid fetchGrid(FollowState state) throws InterruptedException {
        try {
            HybridGrid grid = client.hybrids(state.runId(), null, metric);
            List<HybridGrid.Cell> cells = new ArrayList<>(grid.cells());
            for (String cut : HybridGrid.STAGE_CUTS) {
                if (cells.stream().noneMatch(c -> c.cut().equals(cut))) {
                    try {
                        cells.addAll(client.hybrids(state.runId(), cut, metric).cells().stream()
                                .filter(c -> c.cut().equals(cut)).toList());
                    } catch (IOException e) {
                        // keep what the first answer had
                    }
                }
            }
            if (!cells.isEmpty()) {
                return grid.withCells(cells);
            }
        } catch (IOException e) {
            out.println("(could not read " + client.hybridsUrl(state.runId(), null, metric) + ": " + describe(e)
                    + "; showing the cells the events carried)");
        }
        return state.grid();
    }

    /**
     * Where to go after a run: its page on the dashboard (charts, grid, analyses), how to download all of it, the API,
     * and the log directory when the stack is local.
     */
    public static String whereToLookNext(GatewayClient client, String runId, String metric, Path logDir) {
        StringBuilder b = new StringBuilder("\nwhere to look next\n");
        row(b, "this run", client.dashboardRunUrl(runId));
        row(b, "every run", client.baseUrl() + "/");
        row(b, "download it all", "./splicelab export " + runId + (client.baseUrl().equals(Main.DEFAULT_GATEWAY) ? ""
                : " --gateway " + client.baseUrl()));
        row(b, "API (Swagger UI)", client.baseUrl() + "/q/swagger-ui");
        if (logDir != null) {
            row(b, "service logs", logDir.toString());
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format("  %-18s %s%n", label, value));
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host" + (m == null || m.isBlank() ? "" : " " + m) + " (is the host name right?)";
        }
        if (e instanceof java.net.ConnectException || m == null || m.isBlank()) {
            return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
        }
        return m;
    }
}
