package io.splicelab.model.plugin;

import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventType;

/**
 * One event as a plugged-in consumer receives it: where it came from, its CloudEvents envelope and its
 * payload already decoded into the shared-model record of its type.
 *
 * @param topic the Kafka topic
 * @param key the Kafka key (the run id)
 * @param type the event type
 * @param envelope the CloudEvents envelope (id, source, time, subject = run id, schemaversion, data)
 * @param payload the decoded {@code data}, an instance of {@code type.payloadClass()}
 */
public record ReceivedEvent(String topic, String key, EventType type, Envelope envelope, Object payload) {

    /** The run the event belongs to (the CloudEvents subject). */
    public String runId() {
        return envelope.subject();
    }

    /** The payload as the given record class; fails clearly if the event is of another type. */
    public <T> T payload(Class<T> payloadClass) {
        if (!payloadClass.isInstance(payload)) {
            throw new IllegalStateException("event " + type.type() + " carries " + payload.getClass().getSimpleName()
                    + ", not " + payloadClass.getSimpleName());
        }
        return payloadClass.cast(payload);
    }
}
