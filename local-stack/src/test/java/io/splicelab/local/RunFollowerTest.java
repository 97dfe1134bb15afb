package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splicelab.model.events.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunFollowerTest {
    private static final String RUN = "run-42";

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    private RunFollower follower(FakeGateway g) {
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        return new RunFollower(g.url(), out, new ProgressRenderer(out, false, 0));
    }

    private String output() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** A whole run: started, progress, 3 checkpoints, all 27 cells, completed. */
    private static void wholeRun(FakeGateway g, boolean withCells) {
        g.event(io.splicelab.model.events.EventType.RUN_STARTED.type(), Fixtures.started(RUN, Fixtures.STEPS, 120));
        for (int step = 10; step <= 120; step += 10) {
            g.event(io.splicelab.model.events.EventType.RUN_PROGRESS.type(), Fixtures.progress(RUN, step, 120, 2.0 - step / 100.0, step / 150.0));
            if (step % 60 == 0 || step == 10) {
                int s = step == 10 ? 0 : step;
                g.event(io.splicelab.model.events.EventType.CHECKPOINT_CREATED.type(), Fixtures.checkpoint(RUN, s, Fixtures.STEPS.indexOf(s)));
            }
        }
        List<ObjectNode> cells = Fixtures.allCells(RUN, Fixtures.STEPS, (a, b) -> true);
        if (withCells) {
            cells.forEach(c -> g.event(io.splicelab.model.events.EventType.HYBRID_EVALUATED.type(), c));
        }
        g.event(io.splicelab.model.events.EventType.RUN_COMPLETED.type(), Fixtures.completed(RUN, 120, 3));
        g.event(io.splicelab.model.events.EventType.STATS_COMPUTED.type(), Fixtures.obj().put("runId", RUN).put("analysis", "kde"));
        g.hybrids = Fixtures.hybridsResponse(RUN, Fixtures.STEPS, cells);
        g.run = Fixtures.obj().put("runId", RUN).put("status", "COMPLETED").put("step", 120).put("totalSteps", 120);
    }

    @Test
    void aCompletedRunEndsWithTheGridTheSummariesAndWhereToLook() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            wholeRun(g, true);
            g.run = Fixtures.obj().put("runId", RUN).put("status", "REQUESTED").put("step", 0);
            RunFollower.Result r = follower(g).logDir(Path.of("/tmp/stack/logs")).follow(RUN, Duration.ofSeconds(30));
            String out = output();
            assertEquals(RunFollower.Outcome.COMPLETED, r.outcome(), out);
            assertEquals(0, r.exitCode());
            assertTrue(out.contains("run run-42 started: 120 steps, checkpoints at [0, 60, 120]"), out);
            assertTrue(out.contains("checkpoint 3 at step 120 (training batch accuracy 0.500)"), out);
            assertTrue(out.contains("training 100%  step 120/120"), out);
            assertTrue(out.contains("hybrids 27/27 (100%)"), out);
            assertFalse(out.contains("\r"), "plain output when not a terminal");
            assertTrue(out.contains("training completed: 120 steps, 3 checkpoints, test accuracy 0.743 (10000 test "
                    + "images), last training batch accuracy 0.813"), out);
            assertTrue(out.contains("run run-42 completed: 120 steps, 3 checkpoints (steps 0, 60, 120), test accuracy "
                    + "0.743 (10000 test images), last training batch accuracy 0.813"), out);
            for (String cut : HybridGrid.STAGE_CUTS) {
                assertTrue(out.contains("cut " + cut + " (eval set test, BN deep): accuracy of hybrids"), out);
                assertTrue(out.contains("TC(" + cut + ") = "), out);
            }
            assertTrue(out.contains("shallow\\deep       0      60     120"), out);
            assertTrue(out.contains("           0   0.200   0.440   0.680"), out); // stem row: diagonal is own acc
            assertTrue(out.contains("where to look next"), out);
            assertTrue(out.contains(g.url() + "/q/swagger-ui"), out);
            // the run's page on the dashboard, not its JSON
            assertTrue(out.contains("  this run           " + g.url() + "/run.html?id=run-42"), out);
            assertTrue(out.contains("./splicelab export run-42 --gateway " + g.url()), out);
            assertFalse(out.contains(g.url() + "/api/runs/run-42"), out);
            assertTrue(out.contains("/tmp/stack/logs"), out);
            assertEquals(27, r.grid().cells().size());
        }
    }

    @Test
    void aDroppedStreamReconnectsAndTheReplayDoesNoHarm() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            wholeRun(g, true);
            g.dropFirstConnectionAfter = 20;
            RunFollower.Result r = follower(g).pollAfterCompletion(Duration.ofMinutes(5)).follow(RUN,
                    Duration.ofSeconds(30));
            assertEquals(RunFollower.Outcome.COMPLETED, r.outcome(), output());
            assertTrue(g.eventConnections.get() >= 2);
            assertEquals(1, output().lines().filter(l -> l.startsWith("checkpoint 1 at step 0")).count(), output());
        }
    }

    @Test
    void aFailedRunExitsNonZeroWithTheReason() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            g.event(io.splicelab.model.events.EventType.RUN_STARTED.type(), Fixtures.started(RUN, Fixtures.STEPS, 120));
            g.event(io.splicelab.model.events.EventType.RUN_PROGRESS.type(), Fixtures.progress(RUN, 30, 120, 2.0, 0.1));
            g.event(io.splicelab.model.events.EventType.RUN_FAILED.type(), Fixtures.failed(RUN, "loss became NaN at step 31"));
            RunFollower.Result r = follower(g).follow(RUN, Duration.ofSeconds(30));
            assertEquals(RunFollower.Outcome.FAILED, r.outcome());
            assertEquals(1, r.exitCode());
            assertEquals("loss became NaN at step 31", r.message());
            assertTrue(output().contains("run run-42 FAILED: loss became NaN at step 31"), output());
        }
    }

    @Test
    void theTimeoutEndsTheFollowAndSaysHowToComeBack() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            g.event(io.splicelab.model.events.EventType.RUN_STARTED.type(), Fixtures.started(RUN, Fixtures.STEPS, 120));
            g.event(io.splicelab.model.events.EventType.RUN_PROGRESS.type(), Fixtures.progress(RUN, 30, 120, 2.0, 0.1));
            long t0 = System.nanoTime();
            RunFollower.Result r = follower(g).follow(RUN, Duration.ofSeconds(2));
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            assertEquals(RunFollower.Outcome.TIMED_OUT, r.outcome());
            assertEquals(1, r.exitCode());
            assertTrue(output().contains("gave up after 2s: training 30/120 steps, hybrid cells 0/27"), output());
            assertTrue(output().contains("./splicelab follow run-42 --gateway " + g.url()), output());
        }
    }

    @Test
    void anUnknownRunOrAnUnreachableGatewayIsAnError() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            RunFollower.Result r = follower(g).follow("nope", Duration.ofSeconds(10));
            assertEquals(RunFollower.Outcome.ERROR, r.outcome());
            assertTrue(output().contains("error: no run nope at " + g.url()), output());
        }
        int port = io.splicelab.kafka.KafkaBroker.freePort();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        RunFollower.Result r = new RunFollower("http://127.0.0.1:" + port, out, new ProgressRenderer(out, false, 0))
                .follow(RUN, Duration.ofSeconds(10));
        assertEquals(RunFollower.Outcome.ERROR, r.outcome());
        assertTrue(output().contains("cannot reach the gateway at http://127.0.0.1:" + port), output());
    }

    @Test
    void withoutAnEventStreamTheFollowerPollsTheRestApi() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            wholeRun(g, false);
            g.eventsStatus = 503;
            RunFollower.Result r = follower(g).pollWhenDisconnected(Duration.ofMillis(200))
                    .follow(RUN, Duration.ofSeconds(30));
            assertEquals(RunFollower.Outcome.COMPLETED, r.outcome(), output());
            assertTrue(g.hybridRequests.get() >= 2);
        }
    }

    @Test
    void aRunThatHadAlreadyCompletedIsShownAtOnce() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            wholeRun(g, true);
            RunFollower.Result r = follower(g).follow(RUN, Duration.ofSeconds(30));
            assertEquals(RunFollower.Outcome.COMPLETED, r.outcome(), output());
            assertTrue(output().contains("TC(stage2) = "), output());
        }
    }

    @Test
    void cellsMissingFromTheStreamAreFetchedOnceTrainingCompleted() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            wholeRun(g, false);
            RunFollower.Result r = follower(g).pollAfterCompletion(Duration.ofMillis(200))
                    .follow(RUN, Duration.ofSeconds(30));
            assertEquals(RunFollower.Outcome.COMPLETED, r.outcome(), output());
        }
    }

    @Test
    void submitReturnsTheRunIdOrNamesTheInvalidFields() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            GatewayClient c = new GatewayClient(g.url() + "/");
            assertEquals(RUN, c.submit(MainTest.demoConfig()).runId());
            GatewayClient.GatewayException e = assertThrows(GatewayClient.GatewayException.class,
                    () -> c.submit("{\"steps\":0}"));
            assertEquals(400, e.status());
            assertEquals(List.of("steps: must be between 1 and 10000000"), e.errors());
            assertEquals("the gateway refused the run (HTTP 400)\n  steps: must be between 1 and 10000000",
                    e.getMessage());
        }
    }

    @Test
    void anIncompleteGridIsSaidAtTheEndInsteadOfASilentPartialGrid() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            g.event(io.splicelab.model.events.EventType.RUN_STARTED.type(), Fixtures.started(RUN, Fixtures.STEPS, 120));
            List<ObjectNode> cells = Fixtures.allCells(RUN, Fixtures.STEPS, (a, b) -> a < 120 && b < 120);
            cells.forEach(c -> g.event(io.splicelab.model.events.EventType.HYBRID_EVALUATED.type(), c));
            g.event(io.splicelab.model.events.EventType.HYBRID_PROGRESS.type(), Fixtures.gridProgress(RUN, 60, 15, 15, 12, 27, "computing", null));
            g.event(io.splicelab.model.events.EventType.RUN_COMPLETED.type(), Fixtures.completed(RUN, 120, 3));
            g.event(io.splicelab.model.events.EventType.HYBRID_PROGRESS.type(), Fixtures.gridProgress(RUN, 120, 0, 15, 12, 27, "incomplete",
                    "checkpoint 120 could not be read"));
            g.hybrids = Fixtures.hybridsResponse(RUN, Fixtures.STEPS, cells);
            g.run = Fixtures.obj().put("runId", RUN).put("status", "COMPLETED").put("step", 120).put("totalSteps", 120);
            RunFollower.Result r = follower(g).pollAfterCompletion(Duration.ofMinutes(5)).follow(RUN, Duration.ofSeconds(30));
            String out = output();
            assertEquals(RunFollower.Outcome.INCOMPLETE, r.outcome(), out);
            assertEquals(1, r.exitCode());
            assertTrue(out.contains("hybrid grid incomplete: checkpoint 120 could not be read (12/27 cells)"), out);
            assertTrue(out.contains("run run-42: training completed, but its hybrid grid is INCOMPLETE (12/27 cells): "
                    + "checkpoint 120 could not be read"), out);
            assertTrue(out.contains("the partial grid (missing cells are blank; not a result to report)"), out);
            assertFalse(out.contains("run run-42 completed"), out);
        }
    }

    @Test
    void aServiceThatIsDownOnTheGatewayIsShown() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            g.event(io.splicelab.model.events.EventType.RUN_STARTED.type(), Fixtures.started(RUN, Fixtures.STEPS, 120));
            g.event(io.splicelab.model.events.EventType.RUN_PROGRESS.type(), Fixtures.progress(RUN, 30, 120, 2.0, 0.1));
            com.fasterxml.jackson.databind.node.ArrayNode services = EventCodec.mapper().createArrayNode();
            services.addObject().put("name", "trainer-service").put("status", "UP");
            services.addObject().put("name", "splicer-service").put("status", "DOWN");
            g.services = services;
            RunFollower f = follower(g);
            f.watch(new GatewayServicesWatch(f.client(), Duration.ofMillis(100)));
            RunFollower.Result r = f.follow(RUN, Duration.ofSeconds(2));
            String out = output();
            assertEquals(RunFollower.Outcome.TIMED_OUT, r.outcome(), out);
            assertTrue(out.contains("warning: splicer-service is DOWN"), out);
            assertTrue(out.contains("(not up: splicer-service DOWN)"), out);
            assertFalse(out.contains("trainer-service is"), out);
        }
    }

    @Test
    void aGatewayWithoutTheServicesEndpointIsAskedOnce() throws Exception {
        try (FakeGateway g = new FakeGateway(RUN)) {
            GatewayServicesWatch w = new GatewayServicesWatch(new GatewayClient(g.url()), Duration.ZERO);
            assertEquals(Map.of(), w.states());
            g.services = EventCodec.mapper().createArrayNode().add(Fixtures.obj().put("name", "gateway").put("status", "DOWN"));
            assertEquals(Map.of(), w.states(), "a 404 turned it off");
            assertEquals(List.of(), w.drainMessages());
        }
    }
}
