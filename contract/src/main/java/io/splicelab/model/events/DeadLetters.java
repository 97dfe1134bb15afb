package io.splicelab.model.events;

/**
 * Conventions of the dead-letter topic: the original record value, the original topic and key, and
 * the reason in headers, so a human (or a repair job) can see why a record was not processed.
 */
public final class DeadLetters {
    /** Header with the human-readable reason. */
    public static final String REASON_HEADER = "splicelab-reason";
    /** Header with the topic the record came from. */
    public static final String SOURCE_TOPIC_HEADER = "splicelab-source-topic";
    /** Header with the service that gave up on it. */
    public static final String SERVICE_HEADER = "splicelab-service";

    private DeadLetters() {
    }
}
