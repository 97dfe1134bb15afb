package io.splicelab.cka;

import io.splicelab.model.plugin.AnalysisConsumer;
import io.splicelab.model.plugin.EventDispatcher;
import io.splicelab.model.plugin.OutgoingRecord;
import io.splicelab.model.plugin.PluginSettings;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link AnalysisConsumer} on plain kafka-clients (no framework): one consumer in its own group on
 * the topics of the consumer's event types, from the earliest offset when the group is new (so a consumer
 * added later replays history), and one idempotent producer for results and dead letters.
 *
 * <p>At-least-once: after each polled batch the results are flushed, then the offsets committed; a crash in
 * between redelivers the batch, and the results are upserted downstream by natural key, so nothing is
 * duplicated or lost. Several processes with the same group id split the runs by partition.
 *
 * <p>Depends only on shared-model and kafka-clients, so it can be copied into (or moved to) any plug-in.
 */
public final class KafkaPluginRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPluginRunner.class);

    private final AnalysisConsumer consumer;
    private final PluginSettings settings;
    private final EventDispatcher dispatcher;
    private final Duration exitWhenIdle;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<String, String> kafkaConsumer;
    private volatile long processed;
    private volatile long deadLettered;
    private volatile long published;

    /**
     * @param exitWhenIdle when not null, {@link #run()} returns once partitions are assigned and no record has
     *        arrived for this long (replay-and-exit); null runs until {@link #close()}
     */
    public KafkaPluginRunner(AnalysisConsumer consumer, PluginSettings settings, Duration exitWhenIdle) {
        this(consumer, settings, new LocalArtifactStore(settings.artifactsDir()), exitWhenIdle);
    }

    public KafkaPluginRunner(AnalysisConsumer consumer, PluginSettings settings, ArtifactStore store,
            Duration exitWhenIdle) {
        this.consumer = consumer;
        this.settings = settings;
        this.dispatcher = new EventDispatcher(consumer, store);
        this.exitWhenIdle = exitWhenIdle;
    }

    public Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-consumer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.offsetReset());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, String.valueOf(Duration.ofMinutes(30).toMillis()));
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** Consumes until {@link #close()} (or until idle, see the constructor). */
    public void run() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties());
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            kafkaConsumer = c;
            if (stopping.get()) {
                return;
            }
            List<String> topics = List.copyOf(consumer.topics());
            AtomicBoolean assigned = new AtomicBoolean();
            c.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    LOG.info("partitions revoked: {}", partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.set(true);
                    LOG.info("partitions assigned: {}", partitions);
                }
            });
            LOG.info("{} consuming {} as group {} (offset reset {}), artifacts from {}", consumer.name(), topics,
                    settings.groupId(), settings.offsetReset(), settings.artifactsDir());
            long lastRecord = System.nanoTime();
            while (!stopping.get()) {
                ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    if (exitWhenIdle != null && assigned.get()
                            && System.nanoTime() - lastRecord > exitWhenIdle.toNanos()) {
                        LOG.info("idle for {}: exiting", exitWhenIdle);
                        break;
                    }
                    continue;
                }
                lastRecord = System.nanoTime();
                List<OutgoingRecord> out = new ArrayList<>();
                for (ConsumerRecord<String, String> r : records) {
                    List<OutgoingRecord> produced = dispatcher.dispatch(r.topic(), r.key(), r.value());
                    for (OutgoingRecord o : produced) {
                        if (o.topic().equals(io.splicelab.model.events.Topics.DEAD_LETTERS)) {
                            LOG.warn("dead-lettering {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                    o.headers().get(io.splicelab.model.events.DeadLetters.REASON_HEADER));
                            deadLettered++;
                        }
                    }
                    out.addAll(produced);
                    processed++;
                }
                out.addAll(dispatcher.endBatch());
                for (OutgoingRecord o : out) {
                    ProducerRecord<String, String> pr = new ProducerRecord<>(o.topic(), o.key(), o.value());
                    o.headers().forEach((k, v) -> pr.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                    producer.send(pr);
                    if (!o.topic().equals(io.splicelab.model.events.Topics.DEAD_LETTERS)) {
                        published++;
                    }
                }
                producer.flush();
                c.commitSync();
                LOG.info("processed {} records, published {} results so far", processed, published);
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } finally {
            kafkaConsumer = null;
            stopped.countDown();
        }
    }

    public long processed() {
        return processed;
    }

    public long published() {
        return published;
    }

    public long deadLettered() {
        return deadLettered;
    }

    /** Stops {@link #run()} (from another thread) and waits up to 30 s for it to finish its batch. */
    @Override
    public void close() {
        stopping.set(true);
        KafkaConsumer<String, String> c = kafkaConsumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
