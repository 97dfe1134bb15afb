package io.splicelab.stats.consume;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.values.Metric;
import io.splicelab.stats.analysis.UnprocessableRecordException;
import io.splicelab.stats.results.CheckpointAccuracyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the checkpoints' own accuracies (diagonal cells of the hybrid grid, {@code shallowStep ==
 * deepStep}) for the run report. Off-diagonal cells, TC summaries and grid progress share the topic: valid
 * ones are skipped. Like every consumer, it follows the edge's rule: a record that is not a valid event of
 * the topic, or a diagonal cell without an evaluation set or a finite accuracy, is dead-lettered with the
 * reason.
 */
@ApplicationScoped
public class AccuracyConsumer {
    private final CheckpointAccuracyRepository accuracies;
    private final ContractConsumer consumer;

    public AccuracyConsumer(CheckpointAccuracyRepository accuracies, RecordGate gate) {
        this.accuracies = accuracies;
        this.consumer = gate.consumer("hybrid-results")
                .on(EventType.HYBRID_EVALUATED, HybridEvaluated.class, e -> onCell(e.runId(), e.payload()))
                .ignore(EventType.TC_SUMMARY_COMPUTED, EventType.HYBRID_PROGRESS).build();
    }

    @Incoming("hybrid-results")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        consumer.accept(record);
    }

    private void onCell(String runId, HybridEvaluated cell) {
        if (cell.shallowStep() != cell.deepStep()) {
            return;
        }
        if (cell.evalSet() == null || cell.evalSet().isBlank()) {
            throw new UnprocessableRecordException("diagonal cell of step " + cell.deepStep() + " has no evalSet");
        }
        Double accuracy = cell.metric(Metric.ACCURACY);
        if (accuracy == null || !Double.isFinite(accuracy)) {
            throw new UnprocessableRecordException("diagonal cell of step " + cell.deepStep() + " on "
                    + cell.evalSet() + " has no finite '" + Metric.ACCURACY.wire() + "' metric");
        }
        accuracies.upsert(runId, cell.deepStep(), cell.evalSet(), accuracy, cell.samples());
    }
}
