package io.splicelab.stats;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.StatsComputed;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The Kafka edge of the service: one {@code FeaturesSnapshotted} event in, its stats results stored
 * (upsert) and published: class overlap per cut, and the windowed distance to every other probe set
 * with a snapshot at the same step ({@link ProbeDistanceAnalyzer}). A record that can never be processed goes to the dead-letter topic and the
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
    private final AnalysisInputRepository inputs;
    private final ProbeDistanceAnalyzer distances;

    public FeatureSnapshotConsumer(SnapshotAnalyzer analyzer, StatsResultRepository repository,
            StatsEventPublisher publisher, DeadLetterPublisher deadLetters, AnalysisInputRepository inputs,
            ProbeDistanceAnalyzer distances) {
        this.analyzer = analyzer;
        this.inputs = inputs;
        this.distances = distances;
        this.repository = repository;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
    }

    @Incoming("feature-snapshots")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        List<StatsComputed> results;
        FeaturesSnapshotted event;
        try {
            event = EventRecords.decode(record.value(), EventType.FEATURES_SNAPSHOTTED, FeaturesSnapshotted.class);
            results = analyzer.analyze(event);
        } catch (UnprocessableRecordException e) {
            deadLetters.reject(record, e.getMessage());
            return;
        }
        // the snapshot is valid: remember it for the windows, then compare it with the other probe sets
        String probeSet = event.probeSet() == null ? "" : event.probeSet();
        inputs.record(event.runId(), AnalysisInput.KIND_FEATURES, event.step(), probeSet, event.features(), null);
        results = new ArrayList<>(results);
        try {
            results.addAll(distances.analyze(event.runId(), event.step(),
                    inputs.snapshotsUpTo(event.runId(), event.step())));
        } catch (UnprocessableRecordException e) {
            // an earlier snapshot of the window is gone or degenerate: keep this checkpoint's own results
            LOG.warnf("no probe distance for %s step %d: %s", event.runId(), event.step(), e.getMessage());
        }
        repository.upsertAll(results, Instant.now());
        results.forEach(publisher::publish);
        LOG.debugf("stored and published %d results for run %s", results.size(),
                results.isEmpty() ? "?" : results.get(0).runId());
    }
}
