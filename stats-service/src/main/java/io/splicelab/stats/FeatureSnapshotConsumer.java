package io.splicelab.stats;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.StatsComputed;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The Kafka edge of the service: one {@code FeaturesSnapshotted} event in, its stats results stored
 * (upsert) and published. A record that can never be processed goes to the dead-letter topic and the
 * stream moves on; anything else (database or broker down) propagates so that the record is retried.
 * Store first, then publish: a crash in between redelivers the record, and the upsert makes the redo
 * harmless.
 */
@ApplicationScoped
public class FeatureSnapshotConsumer {
    private static final Logger LOG = Logger.getLogger(FeatureSnapshotConsumer.class);

    private final SnapshotAnalyzer analyzer;
    private final StatsResultRepository repository;
    private final StatsEventPublisher publisher;
    private final DeadLetterPublisher deadLetters;

    public FeatureSnapshotConsumer(SnapshotAnalyzer analyzer, StatsResultRepository repository,
            StatsEventPublisher publisher, DeadLetterPublisher deadLetters) {
        this.analyzer = analyzer;
        this.repository = repository;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
    }

    @Incoming("feature-snapshots")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        List<StatsComputed> results;
        try {
            results = analyzer.analyze(decode(record.value()));
        } catch (UnprocessableRecordException e) {
            LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            deadLetters.send(record.key(), record.value(), e.getMessage(), record.topic(), record.partition(),
                    record.offset());
            return;
        }
        repository.upsertAll(results, Instant.now());
        results.forEach(publisher::publish);
        LOG.debugf("stored and published %d results for run %s", results.size(),
                results.isEmpty() ? "?" : results.get(0).runId());
    }

    private static FeaturesSnapshotted decode(String value) {
        if (value == null) {
            throw new UnprocessableRecordException("record has no value");
        }
        try {
            Envelope envelope = EventCodec.decode(value);
            if (!EventType.FEATURES_SNAPSHOTTED.type().equals(envelope.type())) {
                throw new UnprocessableRecordException("unexpected event type " + envelope.type());
            }
            return EventCodec.payload(envelope, FeaturesSnapshotted.class);
        } catch (EventCodec.InvalidEventException e) {
            throw new UnprocessableRecordException(e.getMessage(), e);
        }
    }
}
