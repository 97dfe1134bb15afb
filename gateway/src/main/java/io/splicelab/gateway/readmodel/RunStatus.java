package io.splicelab.gateway.readmodel;

/** Where a run is in its life, as far as the gateway has seen. */
public enum RunStatus {
    REQUESTED, RUNNING, COMPLETED, FAILED, CANCELLED;

    /** A finished run never goes back to running when an older event is redelivered. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
