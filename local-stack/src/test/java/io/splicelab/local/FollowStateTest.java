package io.splicelab.local;

import static io.splicelab.model.events.EventType.CHECKPOINT_CREATED;
import static io.splicelab.model.events.EventType.HYBRID_EVALUATED;
import static io.splicelab.model.events.EventType.RUN_COMPLETED;
import static io.splicelab.model.events.EventType.RUN_FAILED;
import static io.splicelab.model.events.EventType.RUN_PROGRESS;
import static io.splicelab.model.events.EventType.RUN_STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowStateTest {
    private static final String RUN = "r1";

    /** A follower that has seen the run start (120 steps, checkpoints at {@link Fixtures#STEPS}). */
    private static FollowState started() {
        FollowState s = new FollowState(RUN);
        s.apply(RUN_STARTED, Fixtures.started(RUN, Fixtures.STEPS, 120));
        return s;
    }

    @Test
    void finishedNeedsCompletionAndKTimesKCellsPerStageCut() {
        FollowState s = new FollowState(RUN);
        assertEquals(0, s.expectedCells(), "unknown before the run started");
        assertTrue(s.apply(RUN_STARTED, Fixtures.started(RUN, Fixtures.STEPS, 120)).isPresent());
        assertEquals("RUNNING", s.status());
        assertEquals(27, s.expectedCells(), "K=3 checkpoints: 3*3 cells for each of stem, stage1, stage2");

        List<ObjectNode> cells = Fixtures.allCells(RUN, Fixtures.STEPS, (a, b) -> true);
        cells.forEach(c -> s.apply(HYBRID_EVALUATED, c));
        assertEquals(27, s.receivedCells());
        assertFalse(s.finished(), "training has not completed yet");

        s.apply(RUN_COMPLETED, Fixtures.completed(RUN, 120, 3));
        assertTrue(s.finished());
        assertEquals("COMPLETED", s.status());
        assertEquals(0.8125, s.finalTrainAccuracy());
        assertEquals(0.7431, s.finalTestAccuracy());
        assertEquals(", test accuracy 0.743 (10000 test images), last training batch accuracy 0.813", s.accuracies());
    }

    @Test
    void aMissingCellKeepsTheRunOpenAndOtherCutsDoNotCount() {
        FollowState s = started();
        s.apply(RUN_COMPLETED, Fixtures.completed(RUN, 120, 3));
        Fixtures.allCells(RUN, Fixtures.STEPS, (a, b) -> !(a == 60 && b == 0)).forEach(c -> s.apply(HYBRID_EVALUATED, c));
        s.apply(HYBRID_EVALUATED, Fixtures.hybrid(RUN, "stage3", 60, 0, 0.3));
        assertEquals(24, s.receivedCells());
        assertFalse(s.finished());
        // the same cell on another eval set counts once for its cut
        s.apply(HYBRID_EVALUATED, Fixtures.hybrid(RUN, "stem", 60, 0, 0.4));
        s.apply(HYBRID_EVALUATED, Fixtures.hybrid(RUN, "stage1", 60, 0, 0.4));
        s.apply(HYBRID_EVALUATED, Fixtures.hybrid(RUN, "stage2", 60, 0, 0.4));
        ObjectNode other = Fixtures.hybrid(RUN, "stage2", 60, 0, 0.4).put("evalSet", "corrupted");
        s.apply(HYBRID_EVALUATED, other);
        assertEquals(27, s.receivedCells());
        assertTrue(s.finished());
    }

    @Test
    void replayedEventsChangeNothingAndProgressNeverGoesBack() {
        FollowState s = started();
        s.apply(RUN_PROGRESS, Fixtures.progress(RUN, 80, 120, 1.1, 0.4));
        assertTrue(s.apply(CHECKPOINT_CREATED, Fixtures.checkpoint(RUN, 60, 1)).isPresent());
        // a reconnect replays the past
        assertTrue(s.apply(RUN_STARTED, Fixtures.started(RUN, Fixtures.STEPS, 120)).isEmpty());
        s.apply(RUN_PROGRESS, Fixtures.progress(RUN, 20, 120, 2.0, 0.1));
        assertTrue(s.apply(CHECKPOINT_CREATED, Fixtures.checkpoint(RUN, 60, 1)).isEmpty());
        assertEquals(80, s.step());
        assertEquals(1.1, s.loss());
        assertEquals(List.of(60), s.checkpoints());
        assertEquals(321.4, s.imagesPerSecond());
    }

    @Test
    void failureEndsTheRunWithItsReason() {
        FollowState s = started();
        assertEquals("run failed: out of memory", s.apply(RUN_FAILED, Fixtures.failed(RUN, "out of memory")).orElseThrow());
        assertTrue(s.failed());
        assertFalse(s.finished());
        assertEquals("FAILED", s.status());
        assertEquals("out of memory", s.failure());
    }

    @Test
    void eventsOfAnotherRunAreIgnored() {
        FollowState s = new FollowState(RUN);
        s.apply(RUN_FAILED, Fixtures.failed("other", "x"));
        s.apply(RUN_PROGRESS, Fixtures.progress("other", 50, 100, 1, 1));
        assertFalse(s.failed());
        assertEquals(0, s.step());
    }

    @Test
    void aSnapshotOfTheRunStandsInForLostEvents() {
        FollowState s = new FollowState(RUN);
        ObjectNode run = Fixtures.obj().put("runId", RUN).put("status", "COMPLETED").put("step", 120)
                .put("totalSteps", 120).put("loss", 0.5).put("accuracy", 0.8).put("imagesPerSecond", 300.0);
        var cps = run.putArray("checkpoints");
        Fixtures.STEPS.forEach(st -> cps.addObject().put("step", st).put("trainAccuracy", 0.5));
        s.applySnapshot(run);
        assertTrue(s.completed());
        assertEquals(3, s.expectedCheckpoints());
        assertEquals(List.of(0, 60, 120), s.checkpoints());
        assertEquals(0.8, s.accuracy(), "a gateway from before the rename: accuracy");

        // since the rename: trainBatchAccuracy, and the run's final test accuracy
        FollowState renamed = new FollowState(RUN);
        renamed.applySnapshot(Fixtures.obj().put("runId", RUN).put("status", "COMPLETED").put("step", 120)
                .put("totalSteps", 120).put("trainBatchAccuracy", 0.9).put("testAccuracy", 0.75)
                .put("testSamples", 10000));
        assertEquals(0.9, renamed.accuracy());
        assertEquals(0.75, renamed.finalTestAccuracy());
        assertEquals(", test accuracy 0.750 (10000 test images)", renamed.accuracies());

        FollowState f = new FollowState(RUN);
        f.applySnapshot(Fixtures.obj().put("status", "FAILED").put("failure", "trainer crashed"));
        assertEquals("trainer crashed", f.failure());
        FollowState g = new FollowState(RUN);
        ObjectNode failedRun = Fixtures.obj().put("status", "FAILED");
        failedRun.putObject("failure").put("reason", "bad data");
        g.applySnapshot(failedRun);
        assertEquals("bad data", g.failure());
    }

    @Test
    void theCheckpointsFollowFromTheConfigWhenTheEventDoesNotListThem() {
        FollowState s = new FollowState(RUN);
        ObjectNode started = Fixtures.obj().put("runId", RUN);
        started.putObject("config").put("steps", 240).put("checkpointInterval", 60);
        s.apply(RUN_STARTED, started);
        assertEquals(List.of(0, 60, 120, 180, 240), s.plannedCheckpoints());
        assertEquals(240, s.totalSteps());
        assertEquals(75, s.expectedCells());

        FollowState r = new FollowState(RUN);
        ObjectNode snapshot = Fixtures.obj().put("status", "RUNNING");
        snapshot.putObject("config").put("steps", 100).put("checkpointInterval", 50);
        r.applySnapshot(snapshot);
        assertEquals(List.of(0, 50, 100), r.plannedCheckpoints());
        assertTrue(r.apply(RUN_STARTED, started).isPresent(), "the start is told once, whatever came before");

        FollowState p = new FollowState(RUN);
        p.applySnapshot(Fixtures.obj().put("status", "COMPLETED"));
        assertEquals(0, p.expectedCheckpoints());
        p.applyGrid(HybridGrid.fromJson(Fixtures.hybridsResponse(RUN, Fixtures.STEPS,
                Fixtures.allCells(RUN, Fixtures.STEPS, (a, b) -> true))));
        assertEquals(3, p.expectedCheckpoints());
        assertTrue(p.finished());
    }

    @Test
    void theCollectedCellsFormAGrid() {
        FollowState s = started();
        Fixtures.allCells(RUN, Fixtures.STEPS, (a, b) -> true).forEach(c -> s.apply(HYBRID_EVALUATED, c));
        HybridGrid g = s.grid();
        assertEquals(Fixtures.STEPS, g.checkpoints());
        assertEquals(27, g.cells().size());
        assertEquals(List.of("stem", "stage1", "stage2"), g.orderedCuts());
    }

    @Test
    void anImportedCheckpointIsReportedOnce() {
        FollowState s = new FollowState(RUN);
        assertEquals("imported checkpoint 1 at step 10",
                s.apply(io.splicelab.model.events.EventType.CHECKPOINT_IMPORTED, Fixtures.checkpoint(RUN, 10, 0)).orElseThrow());
        assertTrue(s.apply(io.splicelab.model.events.EventType.CHECKPOINT_IMPORTED, Fixtures.checkpoint(RUN, 10, 0)).isEmpty());
    }

    @Test
    void gridProgressIsShownNeverGoesBackAndAnIncompleteGridSaysWhyOnce() {
        FollowState s = started();
        assertTrue(s.gridProgress().isEmpty());
        assertEquals(0, s.hybridsDone());
        assertEquals(27, s.hybridsExpected(), "without the splicer's word: K*K per stage cut");

        s.apply(io.splicelab.model.events.EventType.HYBRID_PROGRESS, Fixtures.gridProgress(RUN, 60, 5, 15, 12, 27, "computing", null));
        assertEquals(12, s.hybridsDone());
        assertEquals("hybrids 12/27 \u00b7 checkpoint 60: 5/15", ProgressRenderer.hybrids(s));
        // an older event (a replay) does not move it back
        s.apply(io.splicelab.model.events.EventType.HYBRID_PROGRESS, Fixtures.gridProgress(RUN, 60, 2, 15, 9, 27, "computing", null));
        assertEquals(12, s.hybridsDone());
        s.apply(io.splicelab.model.events.EventType.HYBRID_PROGRESS, Fixtures.gridProgress(RUN, 120, 0, 15, 12, 27, "waiting", null));
        assertEquals("hybrids 12/27 \u00b7 waiting", ProgressRenderer.hybrids(s));
        assertFalse(s.gridIncomplete());

        var said = s.apply(io.splicelab.model.events.EventType.HYBRID_PROGRESS,
                Fixtures.gridProgress(RUN, 120, 0, 15, 12, 27, "incomplete", "checkpoint 120 could not be read"));
        assertEquals("hybrid grid incomplete: checkpoint 120 could not be read (12/27 cells)", said.orElseThrow());
        assertTrue(s.gridIncomplete());
        assertEquals("hybrids 12/27 \u00b7 incomplete: checkpoint 120 could not be read", ProgressRenderer.hybrids(s));
        assertTrue(s.apply(io.splicelab.model.events.EventType.HYBRID_PROGRESS,
                Fixtures.gridProgress(RUN, 120, 0, 15, 12, 27, "incomplete", "again")).isEmpty(), "said once");
        // a "computing" with the same count (older) does not undo the terminal status
        s.apply(io.splicelab.model.events.EventType.HYBRID_PROGRESS, Fixtures.gridProgress(RUN, 60, 5, 15, 12, 27, "computing", null));
        assertTrue(s.gridIncomplete());
        assertTrue(ProgressRenderer.plainLine(s).contains("hybrids 12/27 \u00b7 incomplete"), ProgressRenderer.plainLine(s));
    }

    @Test
    void servicesThatAreDownShowOnTheProgressLine() {
        FollowState s = started();
        assertFalse(ProgressRenderer.line(s).contains("down:"));
        s.servicesNotUp(List.of("splicer-service RESTARTING"));
        assertTrue(ProgressRenderer.line(s).startsWith("cells 0/27 | down: splicer-service RESTARTING | train "),
                ProgressRenderer.line(s));
        assertTrue(ProgressRenderer.plainLine(s).endsWith("  down: splicer-service RESTARTING"), ProgressRenderer.plainLine(s));
    }
}
