package io.splicelab.model.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.UUID;

/**
 * Turns payloads into CloudEvents JSON and back. One place decides the wire format, so every service
 * and every plugged-in consumer reads and writes the same thing.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The Kafka header that says how a record's value is encoded (CloudEvents Kafka protocol binding 1.0, section
     * 3.1: {@code content-type}).
     */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /**
     * The {@link #CONTENT_TYPE_HEADER} of every record splicelab produces: the value is a whole CloudEvent in
     * structured mode, JSON in UTF-8. Readers do not require it (records written before it have none).
     */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private final String source;

    /** @param source the CloudEvents source of events this codec writes, e.g. {@code /trainer-service} */
    public EventCodec(String source) {
        this.source = source;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Wraps a payload in an envelope; the subject is the given run id. */
    public Envelope wrap(String runId, Object payload) {
        EventType type = EventType.ofPayload(payload.getClass())
                .orElseThrow(() -> new IllegalArgumentException("not an event payload: " + payload.getClass()));
        return new Envelope("1.0", UUID.randomUUID().toString(), source, type.type(), runId, Instant.now().toString(),
                "application/json", type.dataschema(), EventType.SCHEMA_VERSION, MAPPER.valueToTree(payload));
    }

    /** The JSON text of a payload's envelope. */
    public String encode(String runId, Object payload) {
        return toJson(wrap(runId, payload));
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses an envelope, checking what a consumer relies on.
     *
     * @throws InvalidEventException with the reason when the text is not a valid envelope
     */
    public static Envelope decode(String json) {
        Envelope envelope;
        try {
            envelope = MAPPER.readValue(json, Envelope.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("not a JSON CloudEvent: " + e.getMessage());
        }
        if (envelope == null || !"1.0".equals(envelope.specversion())) {
            throw new InvalidEventException("specversion must be 1.0");
        }
        if (envelope.type() == null || envelope.subject() == null || envelope.data() == null) {
            throw new InvalidEventException("type, subject and data are required");
        }
        if (envelope.schemaversion() != null && envelope.schemaversion() > EventType.SCHEMA_VERSION) {
            throw new InvalidEventException("schemaversion " + envelope.schemaversion() + " is newer than "
                    + EventType.SCHEMA_VERSION);
        }
        return envelope;
    }

    /** The payload of an envelope of a known type. */
    public static <T> T payload(Envelope envelope, Class<T> payloadClass) {
        try {
            return MAPPER.treeToValue(envelope.data(), payloadClass);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("data is not a valid " + payloadClass.getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    /** The payload of an envelope, typed by its CloudEvents type. */
    public static Object payload(Envelope envelope) {
        EventType type = EventType.ofType(envelope.type())
                .orElseThrow(() -> new InvalidEventException("unknown event type " + envelope.type()));
        return payload(envelope, type.payloadClass());
    }

    /** Why an incoming record could not be read; the text goes to the dead-letter record. */
    public static final class InvalidEventException extends RuntimeException {
        public InvalidEventException(String message) {
            super(message);
        }
    }

}
