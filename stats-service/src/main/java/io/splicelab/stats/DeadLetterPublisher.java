package io.splicelab.stats;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sends a record we cannot process to {@code splicelab.dead-letters}: the original key and value
 * untouched, the reason in the header {@code splicelab-reason}, who gave up in {@code splicelab-service}
 * and where it came from in {@code splicelab-source-topic}/{@code -partition}/{@code -offset}, so an
 * operator can fix and replay it. (Header names follow the project's dead-letter convention.)
 */
@ApplicationScoped
public class DeadLetterPublisher {
    public static final String REASON_HEADER = "splicelab-reason";
    public static final String SOURCE_TOPIC_HEADER = "splicelab-source-topic";
    public static final String SERVICE_HEADER = "splicelab-service";
    public static final String SERVICE = "stats-service";

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final MutinyEmitter<String> emitter;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Logs and dead-letters a consumed record that cannot be processed. */
    public void reject(ConsumerRecord<String, String> record, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        send(record.key(), record.value(), reason, record.topic(), record.partition(), record.offset());
    }

    public void send(String key, String value, String reason, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, utf8(reason == null ? "unknown" : reason));
        headers.add(SOURCE_TOPIC_HEADER, utf8(topic));
        headers.add(SERVICE_HEADER, utf8(SERVICE));
        headers.add("splicelab-source-partition", utf8(Integer.toString(partition)));
        headers.add("splicelab-source-offset", utf8(Long.toString(offset)));
        emitter.sendMessageAndAwait(Message.of(value == null ? "" : value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
