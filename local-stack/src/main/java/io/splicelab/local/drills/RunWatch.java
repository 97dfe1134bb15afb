package io.splicelab.local.drills;

import java.time.Duration;
import java.util.Set;

/**
 * Watches a real run the drills sent through the stack until it ends and its grid fills, and measures where it
 * ended ({@link RunOutcome}): the proof, in every drill that needs one, that the consumers kept going.
 */
final class RunWatch {
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private final DrillKit kit;
    private final Duration runTimeout;

    /** @param runTimeout how long a run may take end to end on this machine */
    RunWatch(DrillKit kit, Duration runTimeout) {
        this.kit = kit;
        this.runTimeout = runTimeout;
    }

    Duration runTimeout() {
        return runTimeout;
    }

    /** Waits for a run to end and its grid to fill (or the timeout), then measures it. */
    RunOutcome awaitRun(String runId) {
        DrillKit.await(() -> TERMINAL.contains(kit.run(runId).path("status").asText()), runTimeout);
        DrillKit.await(() -> {
            int k = kit.checkpointSteps(runId).size();
            return k > 0 && kit.cells(runId).size() >= k * k * Drills.CELLS_PER_PAIR;
        }, runTimeout);
        return outcome(runId);
    }

    RunOutcome outcome(String runId) {
        String status = kit.run(runId).path("status").asText("UNKNOWN");
        int k = kit.checkpointSteps(runId).size();
        int expected = k * k * Drills.CELLS_PER_PAIR;
        int lost = Math.max(0, expected - kit.cells(runId).size());
        int duplicates = kit.duplicateEvents(runId, Duration.ofSeconds(4));
        return new RunOutcome(runId, status, k, expected, lost, duplicates);
    }
}
