package io.splicelab.model.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code subject} is the run id (also the Kafka
 * key); {@code schemaversion} is an extension attribute with the version of the data's schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(String specversion, String id, String source, String type, String subject, String time,
        String datacontenttype, String dataschema, Integer schemaversion, JsonNode data) {
}
