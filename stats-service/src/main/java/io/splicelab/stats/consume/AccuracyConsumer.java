package io.splicelab.stats;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.smallrye.common.annotation.Blocking;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the checkpoints' own accuracies (diagonal cells of the hybrid grid, {@code shallowStep ==
 * deepStep}) for the run report. Every other record on the topic (off-diagonal cells, TC summaries) is
 * ignored; a record it cannot read is logged and skipped, not dead-lettered - the gateway, which owns
 * that topic's read model, already dead-letters it.
 */
@ApplicationScoped
public class AccuracyConsumer implements PanacheRepository<CheckpointAccuracy> {
    private static final Logger LOG = Logger.getLogger(AccuracyConsumer.class);
    /** The metric of a hybrid cell that holds the accuracy (the splicer's HybridMetrics.ACCURACY). */
    public static final String ACCURACY = "accuracy";

    @Incoming("hybrid-results")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, String> record) {
        HybridEvaluated cell;
        try {
            Envelope envelope = EventCodec.decode(record.value());
            if (!EventType.HYBRID_EVALUATED.type().equals(envelope.type())) {
                return;
            }
            cell = EventCodec.payload(envelope, HybridEvaluated.class);
        } catch (RuntimeException e) {
            LOG.debugf("skipping unreadable hybrid result %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (cell.shallowStep() != cell.deepStep() || cell.metrics() == null || cell.metrics().get(ACCURACY) == null
                || cell.runId() == null || cell.evalSet() == null) {
            return;
        }
        CheckpointAccuracy row = find("runId = ?1 and step = ?2 and evalSet = ?3", cell.runId(), cell.deepStep(),
                cell.evalSet()).firstResultOptional().orElseGet(CheckpointAccuracy::new);
        row.runId = cell.runId();
        row.step = cell.deepStep();
        row.evalSet = cell.evalSet();
        row.accuracy = cell.metrics().get(ACCURACY);
        row.samples = cell.samples();
        if (row.id == null) {
            persist(row);
        }
    }

    /** The accuracies of a run, by step. */
    @Transactional
    public List<CheckpointAccuracy> byRun(String runId) {
        return list("runId", io.quarkus.panache.common.Sort.ascending("step", "evalSet"), runId);
    }
}
