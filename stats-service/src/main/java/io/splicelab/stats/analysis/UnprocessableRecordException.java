package io.splicelab.stats.analysis;

/**
 * A record that can never be processed, however often it is redelivered (bad JSON, wrong event type,
 * missing or corrupt artifact, inconsistent shapes). Its message is the reason written to the
 * dead-letter record. Failures of our own infrastructure (database down) are deliberately not this
 * exception: they must be retried, not dead-lettered.
 */
public class UnprocessableRecordException extends RuntimeException {
    public UnprocessableRecordException(String reason) {
        super(reason);
    }

    public UnprocessableRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
