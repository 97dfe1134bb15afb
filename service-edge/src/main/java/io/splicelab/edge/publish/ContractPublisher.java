package io.splicelab.edge.publish;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.RunIds;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The one way to publish contract events: the payload wrapped in a CloudEvents envelope (source
 * {@code /<service>}), keyed and subjected by its run id (checked against {@link RunIds}), sent on the emitter
 * of its type's topic, and only returned from once the broker acknowledged it, so a caller that goes on (and
 * acknowledges its own input) never runs ahead of what is stored. A service builds one from its outgoing
 * channels, e.g. {@code new ContractPublisher("trainer-service", Map.of(Topics.RUN_EVENTS, runEvents, ...))}.
 */
public final class ContractPublisher {
    private final EventCodec codec;
    private final Map<String, MutinyEmitter<String>> emittersByTopic;

    /**
     * @param service the service's name ({@code quarkus.application.name}); the envelopes' source is
     *        {@code /<service>}
     * @param emittersByTopic the emitter of every topic the service publishes on
     */
    public ContractPublisher(String service, Map<String, MutinyEmitter<String>> emittersByTopic) {
        this.codec = new EventCodec("/" + service);
        this.emittersByTopic = Map.copyOf(emittersByTopic);
    }

    /** Publishes a payload of the contract under its run id and waits for the broker's acknowledgement. */
    public void publish(String runId, Object payload) {
        RunIds.requireValid(runId);
        EventType type = EventType.ofPayload(payload.getClass())
                .orElseThrow(() -> new IllegalArgumentException("not an event payload: " + payload.getClass()));
        MutinyEmitter<String> emitter = emittersByTopic.get(type.topic());
        if (emitter == null) {
            throw new IllegalArgumentException("this service does not publish on " + type.topic() + " (" + type + ")");
        }
        emitter.sendMessageAndAwait(Message.of(codec.encode(runId, payload))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(runId).build()));
    }
}
