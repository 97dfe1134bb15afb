package io.splicelab.gateway.imports;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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

    private final MutinyEmitter<String> emitter;
    private final Duration timeout;

    public CheckpointPublisher(@Channel("checkpoints") MutinyEmitter<String> emitter,
            @ConfigProperty(name = "splicelab.commands.send-timeout", defaultValue = "15s") Duration timeout) {
        this.emitter = emitter;
        this.timeout = timeout;
    }

    public void publish(CheckpointImported imported) {
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(imported.runId()).build();
        emitter.sendMessage(Message.of(CODEC.encode(imported.runId(), imported)).addMetadata(key)).await()
                .atMost(timeout);
    }
}
