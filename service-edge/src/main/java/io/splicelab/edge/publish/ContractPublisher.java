package io.splicelab.edge.publish;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.edge.health.ProducerHealth;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.RunIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The one way to publish contract events: the payload wrapped in a CloudEvents envelope (source
 * {@code /<service>}) in structured mode (header {@code content-type: application/cloudevents+json; charset=UTF-8},
 * the CloudEvents Kafka binding's), keyed and subjected by its run id (checked against {@link RunIds}), sent on the emitter
 * of its type's topic, and only returned from once the broker acknowledged it, so a caller that goes on (and
 * acknowledges its own input) never runs ahead of what is stored. A service builds one from its outgoing
 * channels, e.g. {@code new ContractPublisher("trainer-service", Map.of(Topics.RUN_EVENTS, runEvents, ...))}.
 * Built with a {@link ProducerHealth}, it reports each outcome under the channel's name (the topic without
 * {@code splicelab.}, the convention of every service: {@code run-commands} for {@code splicelab.run-commands})
 * and bounds the wait for the acknowledgement.
 */
public final class ContractPublisher {
    private final EventCodec codec;
    private static final String TOPIC_PREFIX = "splicelab.";

    private final Map<String, MutinyEmitter<String>> emittersByTopic;
    private final ProducerHealth health;
    private final FatalErrors fatal;
    private final Duration timeout;

    /**
     * @param service the service's name ({@code quarkus.application.name}); the envelopes' source is
     *        {@code /<service>}
     * @param emittersByTopic the emitter of every topic the service publishes on
     */
    public ContractPublisher(String service, Map<String, MutinyEmitter<String>> emittersByTopic) {
        this(service, emittersByTopic, null, null, null);
    }

    /**
     * @param health where each publish's outcome is reported (readiness), or null
     * @param fatal where a fatal error among a failure's causes is recorded (liveness), or null
     * @param timeout the longest wait for the broker's acknowledgement, or null for the producer's own bounds
     */
    public ContractPublisher(String service, Map<String, MutinyEmitter<String>> emittersByTopic, ProducerHealth health,
            FatalErrors fatal, Duration timeout) {
        this.codec = new EventCodec("/" + service);
        this.emittersByTopic = Map.copyOf(emittersByTopic);
        this.health = health;
        this.fatal = fatal;
        this.timeout = timeout;
    }

    /** Publishes a payload of the contract under its run id and waits for the broker's acknowledgement. */
    public void publish(String runId, Object payload) {
        publish(runId, payload, null);
    }

    /**
     * Publishes a payload stamped with {@code time} (the envelope's {@code time}; null: now), e.g. the time a
     * read model recorded for the fact, so that a rebuild from the topics restores it exactly; waits for the
     * broker's acknowledgement and throws when it did not come.
     */
    public void publish(String runId, Object payload, Instant time) {
        RunIds.requireValid(runId);
        EventType type = EventType.ofPayload(payload.getClass())
                .orElseThrow(() -> new IllegalArgumentException("not an event payload: " + payload.getClass()));
        MutinyEmitter<String> emitter = emittersByTopic.get(type.topic());
        if (emitter == null) {
            throw new IllegalArgumentException("this service does not publish on " + type.topic() + " (" + type + ")");
        }
        Envelope e = codec.wrap(runId, payload);
        if (time != null) {
            e = new Envelope(e.specversion(), e.id(), e.source(), e.type(), e.subject(), time.toString(),
                    e.datacontenttype(), e.dataschema(), e.schemaversion(), e.data());
        }
        Message<String> message = Message.of(EventCodec.toJson(e))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(runId)
                        .withHeaders(new RecordHeaders().add(EventCodec.CONTENT_TYPE_HEADER,
                                EventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)))
                        .build());
        String channel = type.topic().startsWith(TOPIC_PREFIX) ? type.topic().substring(TOPIC_PREFIX.length())
                : type.topic();
        try {
            if (timeout == null) {
                emitter.sendMessageAndAwait(message);
            } else {
                emitter.sendMessage(message).await().atMost(timeout);
            }
            if (health != null) {
                health.succeeded(channel);
            }
        } catch (RuntimeException | Error failure) {
            if (fatal != null) {
                fatal.check(failure, "channel " + channel);
            }
            if (health != null) {
                health.failed(channel, failure);
            }
            throw failure;
        }
    }
}
