package io.splicelab.gateway.imports;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Topics;
import io.splicelab.gateway.health.FatalErrors;
import io.splicelab.gateway.health.ProducerHealth;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends imported checkpoints to {@link Topics#CHECKPOINTS}, keyed by run id, and waits for Kafka's acknowledgement,
 * so that "202 Accepted" means the import is durably in Kafka.
 */
@ApplicationScoped
public class CheckpointPublisher {
    private static final EventCodec CODEC = new EventCodec("/gateway");
    private static final String CHANNEL = "checkpoints";

    private final MutinyEmitter<String> emitter;
    private final Duration timeout;
    private final ProducerHealth health;
    private final FatalErrors fatal;

    public CheckpointPublisher(@Channel("checkpoints") MutinyEmitter<String> emitter,
            @ConfigProperty(name = "splicelab.commands.send-timeout", defaultValue = "15s") Duration timeout,
            ProducerHealth health, FatalErrors fatal) {
        this.emitter = emitter;
        this.timeout = timeout;
        this.health = health;
        this.fatal = fatal;
    }

    /**
     * Publishes an import stamped with {@code time} (for a run's first import, its creation time in the read model,
     * so that a rebuild from the topics restores it exactly); throws when Kafka did not acknowledge it in time.
     */
    public void publish(CheckpointImported imported, Instant time) {
        Envelope e = CODEC.wrap(imported.runId(), imported);
        Envelope stamped = new Envelope(e.specversion(), e.id(), e.source(), e.type(), e.subject(), time.toString(),
                e.datacontenttype(), e.dataschema(), e.schemaversion(), e.data());
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(imported.runId()).build();
        try {
            emitter.sendMessage(Message.of(EventCodec.toJson(stamped)).addMetadata(key)).await().atMost(timeout);
            health.succeeded(CHANNEL);
        } catch (RuntimeException | Error failure) {
            fatal.check(failure);
            health.failed(CHANNEL, failure);
            throw failure;
        }
    }
}
