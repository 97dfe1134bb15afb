package io.splicelab.splicer;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.splicelab.model.events.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Sends a record the splicer cannot process to the dead-letter topic, with the reason. */
@ApplicationScoped
public class DeadLetterPublisher {
    private final MutinyEmitter<String> deadLetters;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<String> deadLetters) {
        this.deadLetters = deadLetters;
    }

    public void send(String key, String value, String sourceTopic, String reason) {
        deadLetters.sendMessageAndAwait(KafkaRecord.of(key, value).withHeader(DeadLetters.REASON_HEADER, reason)
                .withHeader(DeadLetters.SOURCE_TOPIC_HEADER, sourceTopic)
                .withHeader(DeadLetters.SERVICE_HEADER, "splicer-service"));
    }
}
