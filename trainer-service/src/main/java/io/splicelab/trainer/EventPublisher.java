package io.splicelab.trainer;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the trainer's events, keyed by run id, and waits for the broker's acknowledgement so that
 * a checkpoint event is never announced before the one before it.
 */
@ApplicationScoped
public class EventPublisher {
    private final EventCodec codec = new EventCodec("/trainer-service");
    private final MutinyEmitter<String> runEvents;
    private final MutinyEmitter<String> checkpoints;
    private final MutinyEmitter<String> noiseSamples;

    public EventPublisher(@Channel("run-events") MutinyEmitter<String> runEvents,
            @Channel("checkpoints") MutinyEmitter<String> checkpoints,
            @Channel("noise-samples") MutinyEmitter<String> noiseSamples) {
        this.runEvents = runEvents;
        this.checkpoints = checkpoints;
        this.noiseSamples = noiseSamples;
    }

    public void publish(String runId, Object payload) {
        EventType type = EventType.ofPayload(payload.getClass()).orElseThrow();
        MutinyEmitter<String> emitter = switch (type.topic()) {
            case Topics.RUN_EVENTS -> runEvents;
            case Topics.CHECKPOINTS -> checkpoints;
            case Topics.NOISE_SAMPLES -> noiseSamples;
            default -> throw new IllegalArgumentException("the trainer does not publish " + type);
        };
        emitter.sendMessageAndAwait(KafkaRecord.of(runId, codec.encode(runId, payload)));
    }
}
