package io.splicelab.stats;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.StatsComputed;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes {@code StatsComputed} CloudEvents on {@code splicelab.stats-results}, keyed by run id, and
 * waits for the broker's acknowledgement so that an incoming record is only committed once its results
 * are out.
 */
@ApplicationScoped
public class StatsEventPublisher {
    public static final String SOURCE = "/stats-service";

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec = new EventCodec(SOURCE);

    public StatsEventPublisher(@Channel("stats-results") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public void publish(StatsComputed result) {
        String json = codec.encode(result.runId(), result);
        emitter.sendMessageAndAwait(Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(result.runId()).build()));
    }
}
