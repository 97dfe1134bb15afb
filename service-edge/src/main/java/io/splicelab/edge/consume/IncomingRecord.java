package io.splicelab.edge.consume;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A consumed record reduced to what the consumer rule needs, whichever way the service receives it
 * ({@link ConsumerRecord} or {@link Message} with Kafka metadata).
 *
 * @param topic the topic it came from (null when unknown, e.g. an in-memory channel)
 * @param partition its partition, or null
 * @param offset its offset, or null
 * @param key its key as text, or null
 * @param value its value, or null (a tombstone)
 */
public record IncomingRecord(String topic, Integer partition, Long offset, String key, String value) {

    public static IncomingRecord of(ConsumerRecord<String, String> record) {
        return new IncomingRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value());
    }

    public static IncomingRecord of(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> new IncomingRecord(m.getTopic(), m.getPartition(), m.getOffset(),
                        m.getKey() == null ? null : String.valueOf(m.getKey()), message.getPayload()))
                .orElseGet(() -> new IncomingRecord(null, null, null, null, message.getPayload()));
    }

    /** {@code topic-partition@offset}, for logs. */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }
}
