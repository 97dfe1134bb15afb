package io.splicelab.splicer;

import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.splicer.splicing.RunGrid;

/**
 * Progress of one checkpoint ({@code computing}): at most one event per interval while it is evaluated, and one
 * at its end, so a long checkpoint shows it is alive without flooding the topic. Silent for a checkpoint that is
 * only being restored: its cells went out when it was first evaluated.
 */
final class ProgressTicker {
    private final SplicerPublisher publisher;
    private final long intervalNanos;
    private final String runId;
    private final int step;
    private final RunGrid grid;
    private final boolean announce;
    private long last = System.nanoTime();
    private int done;
    private int expected;

    ProgressTicker(SplicerPublisher publisher, long intervalMs, String runId, int step, RunGrid grid,
            boolean announce) {
        this.publisher = publisher;
        this.intervalNanos = intervalMs * 1_000_000L;
        this.runId = runId;
        this.step = step;
        this.grid = grid;
        this.announce = announce;
    }

    /** The checkpoint's cells so far: published when the interval has passed since the last event. */
    void tick(int done, int expected) {
        this.done = done;
        this.expected = expected;
        publishIf(false);
    }

    /** The checkpoint's end: its last counts, published whatever the interval. */
    void end() {
        publishIf(true);
    }

    private void publishIf(boolean end) {
        long now = System.nanoTime();
        if (announce && (end || now - last >= intervalNanos)) {
            last = now;
            publisher.publish(new GridProgress(runId, step, done, expected, grid.gridCellsComputed(),
                    grid.gridCellsExpected(), grid.steps().size(), GridProgress.COMPUTING, null));
        }
    }
}
