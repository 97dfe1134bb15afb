package io.splicelab.stats.consume;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.stats.analysis.ProbeDistanceAnalyzer;
import io.splicelab.stats.analysis.SnapshotAnalyzer;
import io.splicelab.stats.analysis.UnprocessableRecordException;
import io.splicelab.stats.publish.StatsEventPublisher;
import io.splicelab.stats.results.AnalysisInput;
import io.splicelab.stats.results.AnalysisInputRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The Kafka edge of the feature analyses: one {@code FeaturesSnapshotted} event in, its stats results stored
 * (upsert) and published: class overlap per cut, and the windowed distance to every other probe set with a
 * snapshot at the same step ({@link ProbeDistanceAnalyzer}). The edge's consumer rule applies: a record that
 * fails anywhere (not a valid event, a missing, tampered or unsafe artifact, a failing analysis) is
 * dead-lettered with the reason and the stream moves on. Store first, then publish: a crash in between
 * redelivers the record, and the upsert makes the redo harmless.
 */
@ApplicationScoped
public class FeatureSnapshotConsumer {
    private static final Logger LOG = Logger.getLogger(FeatureSnapshotConsumer.class);

    private final SnapshotAnalyzer analyzer;
    private final AnalysisInputRepository inputs;
    private final ProbeDistanceAnalyzer distances;
    private final StatsEventPublisher publisher;
    private final ContractConsumer consumer;

    public FeatureSnapshotConsumer(SnapshotAnalyzer analyzer, AnalysisInputRepository inputs,
            ProbeDistanceAnalyzer distances, StatsEventPublisher publisher, RecordGate gate) {
        this.analyzer = analyzer;
        this.inputs = inputs;
        this.distances = distances;
        this.publisher = publisher;
        this.consumer = gate.consumer("feature-snapshots")
                .on(EventType.FEATURES_SNAPSHOTTED, FeaturesSnapshotted.class,
                        e -> onSnapshot(e.runId(), e.payload())).build();
    }

    @Incoming("feature-snapshots")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        consumer.accept(record);
    }

    private void onSnapshot(String runId, FeaturesSnapshotted event) {
        List<StatsComputed> results = new ArrayList<>(analyzer.analyze(event));
        // the snapshot is valid: remember it for the windows, then compare it with the other probe sets
        String probeSet = event.probeSet() == null ? "" : event.probeSet();
        inputs.record(runId, AnalysisInput.KIND_FEATURES, event.step(), probeSet, event.features(), null);
        try {
            results.addAll(distances.analyze(runId, event.step(), inputs.snapshotsUpTo(runId, event.step())));
        } catch (UnprocessableRecordException ex) {
            // an earlier snapshot of the window is gone or degenerate: keep this checkpoint's own results
            LOG.warnf("no probe distance for %s step %d: %s", runId, event.step(), ex.getMessage());
        }
        publisher.storeAndPublish(results);
        LOG.debugf("stored and published %d results for run %s", results.size(), runId);
    }
}
