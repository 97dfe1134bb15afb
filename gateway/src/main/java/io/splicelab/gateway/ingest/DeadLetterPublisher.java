package io.splicelab.gateway.ingest;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.gateway.health.FatalErrors;
import io.splicelab.gateway.health.ProducerHealth;
import io.splicelab.model.events.DeadLetters;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Parks a record the gateway cannot process on {@link Topics#DEAD_LETTERS}, unchanged and under its key, with the
 * contract's headers ({@link DeadLetters}: the reason, the source topic, the service {@value #SERVICE}) and where
 * exactly it was read ({@value #SOURCE_PARTITION_HEADER}, {@value #SOURCE_OFFSET_HEADER}), so the consumer can keep
 * going and a human (or a repair job) can look at the record later.
 */
@ApplicationScoped
public class DeadLetterPublisher {
    /** The service name in {@link DeadLetters#SERVICE_HEADER}. */
    public static final String SERVICE = "gateway";
    /** Extra header: the partition the record was read from. */
    public static final String SOURCE_PARTITION_HEADER = "splicelab-source-partition";
    /** Extra header: the offset the record was read at. */
    public static final String SOURCE_OFFSET_HEADER = "splicelab-source-offset";
    private static final String CHANNEL = "dead-letters";

    private final MutinyEmitter<String> emitter;
    private final ProducerHealth health;
    private final FatalErrors fatal;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<String> emitter, ProducerHealth health,
            FatalErrors fatal) {
        this.emitter = emitter;
        this.health = health;
        this.fatal = fatal;
    }

    /** Publishes the record and waits until Kafka has it. */
    public void publish(ConsumerRecord<String, String> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.REASON_HEADER, utf8(reason));
        headers.add(DeadLetters.SOURCE_TOPIC_HEADER, utf8(record.topic()));
        headers.add(DeadLetters.SERVICE_HEADER, utf8(SERVICE));
        headers.add(SOURCE_PARTITION_HEADER, utf8(String.valueOf(record.partition())));
        headers.add(SOURCE_OFFSET_HEADER, utf8(String.valueOf(record.offset())));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build();
        try {
            emitter.sendMessage(Message.of(record.value() == null ? "" : record.value()).addMetadata(metadata))
                    .await().atMost(Duration.ofSeconds(30));
            health.succeeded(CHANNEL);
        } catch (RuntimeException | Error e) {
            fatal.check(e);
            health.failed(CHANNEL, e);
            throw e;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
