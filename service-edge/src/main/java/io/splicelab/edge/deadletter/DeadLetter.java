package io.splicelab.edge.deadletter;

import io.splicelab.model.events.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record a consumer gave up on, with everything the dead-letter convention ({@link DeadLetters}) records:
 * the original key and value untouched, where it came from, why, and the CloudEvents id and type when the
 * envelope could be read. Plain data, so the headers can be checked without a broker.
 *
 * @param key the original key (may be null)
 * @param value the original value (may be null: a tombstone)
 * @param sourceTopic the topic it was read from
 * @param partition its partition, or null when unknown
 * @param offset its offset, or null when unknown
 * @param reason why it cannot be processed
 * @param eventId the CloudEvents {@code id}, or null when unreadable
 * @param eventType the CloudEvents {@code type}, or null when unreadable
 */
public record DeadLetter(String key, String value, String sourceTopic, Integer partition, Long offset, String reason,
        String eventId, String eventType) {
    /** Reasons are cut to this many characters (a header is not a log file). */
    public static final int MAX_REASON = 2000;

    /** The headers of the dead-letter record written by {@code service}. */
    public Headers headers(String service) {
        RecordHeaders headers = new RecordHeaders();
        String why = reason == null || reason.isBlank() ? "unknown" : reason;
        if (why.length() > MAX_REASON) {
            why = why.substring(0, MAX_REASON) + "...";
        }
        headers.add(DeadLetters.REASON_HEADER, utf8(why));
        headers.add(DeadLetters.SOURCE_TOPIC_HEADER, utf8(sourceTopic == null ? "unknown" : sourceTopic));
        headers.add(DeadLetters.SERVICE_HEADER, utf8(service));
        if (partition != null) {
            headers.add(DeadLetters.SOURCE_PARTITION_HEADER, utf8(partition.toString()));
        }
        if (offset != null) {
            headers.add(DeadLetters.SOURCE_OFFSET_HEADER, utf8(offset.toString()));
        }
        if (eventId != null) {
            headers.add(DeadLetters.EVENT_ID_HEADER, utf8(eventId));
        }
        if (eventType != null) {
            headers.add(DeadLetters.EVENT_TYPE_HEADER, utf8(eventType));
        }
        return headers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
