package io.splicelab.gateway.readmodel;

import jakarta.persistence.MappedSuperclass;

/**
 * A row per checkpoint step of a run (a checkpoint, a training-progress point): keyed by (run, step), so a
 * redelivered event of the same step updates its row.
 */
@MappedSuperclass
public abstract class StepScopedRow extends RunScopedRow {
    public int step;

    /** Sets the natural key: the run and the step. */
    void at(String runId, int step) {
        this.runId = runId;
        this.step = step;
    }
}
