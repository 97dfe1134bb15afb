package io.splicelab.stats.consume;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.stats.analysis.NoiseAnalyzer;
import io.splicelab.stats.publish.StatsEventPublisher;
import io.splicelab.stats.results.AnalysisInput;
import io.splicelab.stats.results.AnalysisInputRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The Kafka edge of the noise analyses: one {@code NoiseSampled} event in, its anisotropy, spectrum,
 * alignment and tail-index results stored (upsert) and published, and the event's artifacts remembered
 * for the alignment windows of later checkpoints. The edge's consumer rule applies (see
 * {@link FeatureSnapshotConsumer}); a redelivery recomputes the same results and updates the same rows.
 */
@ApplicationScoped
public class NoiseSampleConsumer {
    private static final Logger LOG = Logger.getLogger(NoiseSampleConsumer.class);

    private final NoiseAnalyzer analyzer;
    private final AnalysisInputRepository inputs;
    private final StatsEventPublisher publisher;
    private final ContractConsumer consumer;

    public NoiseSampleConsumer(NoiseAnalyzer analyzer, AnalysisInputRepository inputs, StatsEventPublisher publisher,
            RecordGate gate) {
        this.analyzer = analyzer;
        this.inputs = inputs;
        this.publisher = publisher;
        this.consumer = gate.consumer("noise-samples")
                .on(EventType.NOISE_SAMPLED, NoiseSampled.class, e -> onNoise(e.runId(), e.payload())).build();
    }

    @Incoming("noise-samples")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        consumer.accept(record);
    }

    private void onNoise(String runId, NoiseSampled event) {
        long started = System.nanoTime();
        List<Map.Entry<Integer, ArtifactRef>> earlier = inputs.updatesBefore(runId, event.step(),
                analyzer.window());
        List<StatsComputed> results = analyzer.analyze(event, earlier);
        LOG.debugf("noise of %s step %d analysed in %.1f ms", runId, event.step(),
                (System.nanoTime() - started) / 1e6);
        inputs.record(runId, AnalysisInput.KIND_NOISE, event.step(), "", event.noise(), event.update());
        publisher.storeAndPublish(results);
    }
}
