package io.splicelab.gateway.ingest;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Parks a record the gateway cannot process on {@link Topics#DEAD_LETTERS}, unchanged, with the reason in
 * the {@value #REASON_HEADER} header and where it came from, so the consumer can keep going and a human
 * can look at the record later.
 */
@ApplicationScoped
public class DeadLetterPublisher {
    /** The header that carries why the record was dead-lettered (UTF-8 text). */
    public static final String REASON_HEADER = "splicelab-reason";
    /** Where the record was read: {@code topic/partition/offset}. */
    public static final String ORIGIN_HEADER = "splicelab-origin";

    private final MutinyEmitter<String> emitter;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Publishes the record and waits until Kafka has it. */
    public void publish(ConsumerRecord<String, String> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_HEADER, (record.topic() + "/" + record.partition() + "/" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build();
        emitter.sendMessage(Message.of(record.value() == null ? "" : record.value()).addMetadata(metadata))
                .await().atMost(Duration.ofSeconds(30));
    }
}
