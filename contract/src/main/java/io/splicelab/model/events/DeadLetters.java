package io.splicelab.model.events;

import java.util.List;

/**
 * Conventions of the dead-letter topic: the original record value and key untouched, and in headers why
 * and where from, so a human (or a repair job) can see why a record was not processed and replay it. Every
 * service writes the same headers (the service edge's {@code DeadLetterPublisher}).
 */
public final class DeadLetters {
    /** Header with the human-readable reason. */
    public static final String REASON_HEADER = "splicelab-reason";
    /** Header with the topic the record came from. */
    public static final String SOURCE_TOPIC_HEADER = "splicelab-source-topic";
    /** Header with the service that gave up on it (its {@code quarkus.application.name}). */
    public static final String SERVICE_HEADER = "splicelab-service";
    /** Header with the partition the record came from (decimal), when known. */
    public static final String SOURCE_PARTITION_HEADER = "splicelab-source-partition";
    /** Header with the offset of the record in its partition (decimal), when known. */
    public static final String SOURCE_OFFSET_HEADER = "splicelab-source-offset";
    /** Header with the CloudEvents {@code id} of the record, when its envelope could be read. */
    public static final String EVENT_ID_HEADER = "splicelab-event-id";
    /** Header with the CloudEvents {@code type} of the record, when its envelope could be read. */
    public static final String EVENT_TYPE_HEADER = "splicelab-event-type";

    /** Every header of the convention, in the order they are written. */
    public static final List<String> HEADERS = List.of(REASON_HEADER, SOURCE_TOPIC_HEADER, SERVICE_HEADER,
            SOURCE_PARTITION_HEADER, SOURCE_OFFSET_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER);

    private DeadLetters() {
    }
}
