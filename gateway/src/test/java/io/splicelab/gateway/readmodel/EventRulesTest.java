package io.splicelab.gateway.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.gateway.readmodel.EventRules.Known;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventRulesTest {
    static final ArtifactRef REF = new ArtifactRef("artifact:runs/r/x", 10, "00", "application/octet-stream");
    static final Object STARTED = new RunStarted("r", null, List.of());
    static final Object PROGRESS = new RunProgress("r", 10, 100, 1, 0.5, 0.05, 100);
    static final Object COMPLETED = new RunCompleted("r", 100, 3, 0.9);
    static final Object FAILED = new RunFailed("r", "boom");
    static final Object CANCELLED = new RunCancelled("r", 10);
    static final Object CHECKPOINT = new CheckpointCreated("r", 50, 1, null, null, REF, 1, 0.5);
    static final Object CELL = new HybridEvaluated("r", "stem", "test", "carry", "float32", 0, 50, 10, Map.of());
    static final Object NOISE = new NoiseSampled("r", 50, 64, 64, 1000, null, null, REF, null);
    static final Object STATS = new StatsComputed("r", "a", null, null, List.of(), "scalar", Map.of(), Map.of());
    static final Object SUMMARY = new TcSummaryComputed("r", "stem", "test", "carry", List.of(), Map.of(), 1, null, 0.9);
    static final Object GRID = new GridProgress("r", 50, 1, 2, 3, 4, 2, "computing", null);

    static Optional<String> rejection(RunStatus status, Object payload) {
        return EventRules.rejection("r", new Known(status, status == null ? null : 100, false), payload);
    }

    @Test
    void aRunNobodyRequestedGetsNoEventsApplied() {
        for (Object p : List.of(STARTED, PROGRESS, COMPLETED, FAILED, CANCELLED, CHECKPOINT, CELL, NOISE, STATS,
                SUMMARY, GRID)) {
            Optional<String> r = rejection(null, p);
            assertTrue(r.isPresent() && r.get().contains("never requested"), p + ": " + r);
        }
        assertEquals(Optional.empty(), rejection(null, new RunRequested("r", null)));
        assertEquals(Optional.empty(), rejection(null, new RunCancelRequested("r", "x")));
    }

    @Test
    void anImportedRunIsKnownByItsImportRecord() {
        Object imported = new CheckpointImported("r", 5, 0, "cifar10", 500, 1L, null, REF, List.of());
        assertTrue(EventRules.rejection("r", Known.unknown(false), imported).isPresent(), "not imported by us");
        assertEquals(Optional.empty(), EventRules.rejection("r", Known.unknown(true), imported));
        assertEquals(Optional.empty(), EventRules.rejection("r", Known.unknown(true), CELL), "results may come first");
    }

    @Test
    void lifecycleEventsMustFollowTheRunsStatus() {
        for (RunStatus live : List.of(RunStatus.REQUESTED, RunStatus.RUNNING)) {
            for (Object p : List.of(STARTED, PROGRESS, COMPLETED, FAILED, CANCELLED, CHECKPOINT, CELL, NOISE, STATS,
                    SUMMARY, GRID)) {
                assertEquals(Optional.empty(), rejection(live, p), live + " " + p);
            }
        }
        assertTrue(rejection(RunStatus.COMPLETED, STARTED).orElseThrow().contains("already COMPLETED"));
        assertTrue(rejection(RunStatus.CANCELLED, PROGRESS).isPresent());
        assertTrue(rejection(RunStatus.FAILED, COMPLETED).isPresent());
        assertTrue(rejection(RunStatus.COMPLETED, FAILED).isPresent());
        assertTrue(rejection(RunStatus.COMPLETED, CANCELLED).isPresent());
        assertEquals(Optional.empty(), rejection(RunStatus.COMPLETED, COMPLETED), "a repeat is the dedup's business");
        // results of a finished run keep coming (other topics, the splicer and stats work after training)
        for (Object p : List.of(CHECKPOINT, CELL, NOISE, STATS, SUMMARY, GRID)) {
            assertEquals(Optional.empty(), rejection(RunStatus.COMPLETED, p), p.toString());
        }
        assertTrue(rejection(RunStatus.RUNNING, new RunProgress("r", 101, 100, 1, 0.5, 0.05, 1)).isPresent());
        assertTrue(rejection(RunStatus.RUNNING, new CheckpointCreated("r", 150, 1, null, null, REF, 1, 0.5))
                .orElseThrow().contains("outside"));
    }
}
