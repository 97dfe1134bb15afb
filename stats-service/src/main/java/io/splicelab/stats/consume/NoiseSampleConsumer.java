package io.splicelab.stats;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.StatsComputed;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The Kafka edge of the noise analyses: one {@code NoiseSampled} event in, its anisotropy, spectrum,
 * alignment and tail-index results stored (upsert) and published, and the event's artifacts remembered
 * for the alignment windows of later checkpoints. Same failure rules as {@link FeatureSnapshotConsumer}:
 * unprocessable records are dead-lettered, infrastructure failures propagate and are retried; a
 * redelivery recomputes the same results and updates the same rows.
 */
@ApplicationScoped
public class NoiseSampleConsumer {
    private static final Logger LOG = Logger.getLogger(NoiseSampleConsumer.class);

    private final NoiseAnalyzer analyzer;
    private final AnalysisInputRepository inputs;
    private final StatsResultRepository repository;
    private final StatsEventPublisher publisher;
    private final DeadLetterPublisher deadLetters;

    public NoiseSampleConsumer(NoiseAnalyzer analyzer, AnalysisInputRepository inputs,
            StatsResultRepository repository, StatsEventPublisher publisher, DeadLetterPublisher deadLetters) {
        this.analyzer = analyzer;
        this.inputs = inputs;
        this.repository = repository;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
    }

    @Incoming("noise-samples")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        List<StatsComputed> results;
        NoiseSampled event;
        try {
            event = EventRecords.decode(record.value(), EventType.NOISE_SAMPLED, NoiseSampled.class);
            long started = System.nanoTime();
            List<Map.Entry<Integer, ArtifactRef>> earlier = inputs.updatesBefore(event.runId(), event.step(),
                    analyzer.window());
            results = analyzer.analyze(event, earlier);
            LOG.debugf("noise of %s step %d analysed in %.1f ms", event.runId(), event.step(),
                    (System.nanoTime() - started) / 1e6);
        } catch (UnprocessableRecordException e) {
            deadLetters.reject(record, e.getMessage());
            return;
        }
        inputs.record(event.runId(), AnalysisInput.KIND_NOISE, event.step(), "", event.noise(), event.update());
        repository.upsertAll(results, Instant.now());
        results.forEach(publisher::publish);
    }
}
