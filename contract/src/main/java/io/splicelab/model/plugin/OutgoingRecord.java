package io.splicelab.model.plugin;

import java.util.Map;

/**
 * A record a runner sends for a consumer: a result on {@code splicelab.stats-results} or an event that went
 * to {@code splicelab.dead-letters}, with its headers (UTF-8 strings).
 */
public record OutgoingRecord(String topic, String key, String value, Map<String, String> headers) {
    public OutgoingRecord {
        headers = Map.copyOf(headers);
    }
}
