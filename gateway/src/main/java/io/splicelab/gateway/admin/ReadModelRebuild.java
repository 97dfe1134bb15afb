package io.splicelab.gateway.admin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.splicelab.gateway.readmodel.CheckpointEntity;
import io.splicelab.gateway.readmodel.EventLogEntity;
import io.splicelab.gateway.readmodel.GridProgressEntity;
import io.splicelab.gateway.readmodel.HybridCellEntity;
import io.splicelab.gateway.readmodel.ProgressEntity;
import io.splicelab.gateway.readmodel.ReadModelGate;
import io.splicelab.gateway.readmodel.ReadModelProjector;
import io.splicelab.gateway.readmodel.RunEntity;
import io.splicelab.gateway.readmodel.StatsResultEntity;
import io.splicelab.gateway.readmodel.TcSummaryEntity;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rebuilds the read model from the topics: deletes every projected table, then reads every result topic
 * from its beginning up to the end it had when the rebuild started, through the same projector as the live
 * consumer. Uses its own consumer with manually assigned partitions and no group, so the live consumer's
 * offsets are untouched. The gateway's own state (groups, deleted runs) is not a projection and is kept.
 */
@ApplicationScoped
public class ReadModelRebuild {
    private static final Logger LOG = Logger.getLogger(ReadModelRebuild.class);

    private final ReadModelProjector projector;
    private final ReadModelGate gate;
    private final String bootstrapServers;
    private final List<String> topics;
    private final Duration timeout;

    public ReadModelRebuild(ReadModelProjector projector, ReadModelGate gate,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "mp.messaging.incoming.results.topics") List<String> topics,
            @ConfigProperty(name = "splicelab.read-model.rebuild-timeout", defaultValue = "10m") Duration timeout) {
        this.projector = projector;
        this.gate = gate;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.timeout = timeout;
    }

    /** What a rebuild did. */
    public record Report(long records, long applied, long skipped, long invalid, long failed, Map<String, Long> perTopic,
            long millis) {
    }

    /** Wipes and replays; the live consumer waits meanwhile. */
    public Report rebuild() {
        return gate.exclusive(this::wipeAndReplay);
    }

    private Report wipeAndReplay() {
        long start = System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> {
            EventLogEntity.deleteAll();
            HybridCellEntity.deleteAll();
            CheckpointEntity.deleteAll();
            StatsResultEntity.deleteAll();
            TcSummaryEntity.deleteAll();
            ProgressEntity.deleteAll();
            GridProgressEntity.deleteAll();
            RunEntity.deleteAll();
        });
        // the run commands first: a run exists for the read model once requested, and across topics Kafka keeps
        // no order, so a replay that met a run's first result before its request would refuse the result
        Counts counts = new Counts();
        List<String> commandTopics = topics.stream().filter(Topics.RUN_COMMANDS::equals).toList();
        replay(commandTopics, counts, true);
        replay(topics, counts, false);
        long records = counts.records;
        long applied = counts.applied;
        long skipped = counts.skipped;
        long invalid = counts.invalid;
        long failed = counts.failed;
        Map<String, Long> perTopic = counts.perTopic;
        long millis = (System.nanoTime() - start) / 1_000_000;
        Report report = new Report(records, applied, skipped, invalid, failed, perTopic, millis);
        LOG.infof("read model rebuilt from the topics: %s", report);
        return report;
    }

    /** What a replay did so far. */
    private static final class Counts {
        long records;
        long applied;
        long skipped;
        long invalid;
        long failed;
        final Map<String, Long> perTopic = new HashMap<>();
    }

    /**
     * Replays topics from their beginning up to their end as of now through the projector.
     *
     * @param first whether this is the first pass (the commands); the second pass counts every record once and
     *     skips what the first applied by its id
     */
    private void replay(List<String> replayed, Counts counts, boolean first) {
        if (replayed.isEmpty()) {
            return;
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : replayed) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
                if (infos != null) {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(15)));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the rebuild did not reach the end of the topics within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long last = end.get(tp);
                    if (last == null || r.offset() >= last) {
                        continue;
                    }
                    if (!first) {
                        counts.records++;
                        counts.perTopic.merge(r.topic(), 1L, Long::sum);
                    }
                    Envelope envelope;
                    Object payload;
                    try {
                        envelope = EventCodec.decode(r.value() == null ? "" : r.value());
                        payload = EventCodec.payload(envelope);
                    } catch (InvalidEventException e) {
                        if (!first) {
                            counts.invalid++; // it went to the dead-letter topic when it first arrived
                        }
                        continue;
                    }
                    try {
                        if (projector.apply(envelope, payload)) {
                            counts.applied++;
                        } else if (!first) {
                            counts.skipped++;
                        }
                    } catch (InvalidEventException e) {
                        if (!first) {
                            counts.invalid++; // dead-lettered when it first arrived; not again
                        }
                    } catch (RuntimeException e) {
                        if (!first) {
                            counts.failed++;
                        }
                        LOG.warnf("rebuild: could not apply %s/%d/%d: %s", r.topic(), r.partition(), r.offset(), e);
                    }
                }
            }
        }
    }

    /** Whether every partition has been read up to its end offset as of the start. */
    private static boolean done(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-read-model-rebuild");
        return p;
    }
}
