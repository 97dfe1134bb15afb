package io.splicelab.gateway.ingest;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.splicelab.gateway.health.FatalErrors;
import io.splicelab.gateway.readmodel.ReadModelGate;
import io.splicelab.gateway.readmodel.ReadModelProjector;
import io.splicelab.gateway.stream.EventBroadcaster;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The gateway's Kafka consumer (group {@code gateway}) on every public result topic. A thin adapter:
 * decode, fold into the read model, then fan out to the live streams. Records arrive as polled batches
 * and are applied in order, in one transaction per batch ({@link ReadModelBatch}); a batch that fails
 * is applied again one record at a time, with retries and a dead letter for a record that still fails.
 * Fan-out happens only after the read model committed, which is what lets a late stream client replay
 * the log without a gap.
 */
@ApplicationScoped
public class ResultEventsConsumer {
    private static final Logger LOG = Logger.getLogger(ResultEventsConsumer.class);
    private static final int ATTEMPTS = 3;

    private final ReadModelProjector projector;
    private final EventBroadcaster broadcaster;
    private final DeadLetterPublisher deadLetters;
    private final ReadModelGate gate;
    private final ReadModelBatch batch;
    private final FatalErrors fatal;

    public ResultEventsConsumer(ReadModelProjector projector, EventBroadcaster broadcaster,
            DeadLetterPublisher deadLetters, ReadModelGate gate, ReadModelBatch batch, FatalErrors fatal) {
        this.fatal = fatal;
        this.gate = gate;
        this.batch = batch;
        this.projector = projector;
        this.broadcaster = broadcaster;
        this.deadLetters = deadLetters;
    }

    @Incoming("results")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        try {
            consumeBatch(records);
        } catch (RuntimeException | Error e) {
            fatal.check(e);
            throw e;
        }
    }

    /**
     * The batch's run commands first: across topics Kafka keeps no order, and a run exists for the read model once
     * requested, so a request and its run's first result polled together are applied in their causal order.
     */
    static List<ConsumerRecord<String, String>> commandsFirst(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            if (Topics.RUN_COMMANDS.equals(r.topic())) {
                out.add(r);
            }
        }
        for (ConsumerRecord<String, String> r : records) {
            if (!Topics.RUN_COMMANDS.equals(r.topic())) {
                out.add(r);
            }
        }
        return out;
    }

    private void consumeBatch(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> valid = new ArrayList<>();
        List<ReadModelBatch.Decoded> decoded = new ArrayList<>();
        for (ConsumerRecord<String, String> record : commandsFirst(records)) {
            try {
                if (record.value() == null) {
                    throw new InvalidEventException("empty record");
                }
                Envelope envelope = EventCodec.decode(record.value());
                decoded.add(new ReadModelBatch.Decoded(envelope, EventCodec.payload(envelope)));
                valid.add(record);
            } catch (InvalidEventException e) {
                deadLetter(record, e.getMessage());
            }
        }
        if (decoded.isEmpty()) {
            return;
        }
        List<Boolean> fresh;
        long t0 = System.nanoTime();
        try {
            fresh = gate.live(() -> batch.applyAll(decoded));
            LOG.debugf("applied a batch of %s in %s ms", (Object) decoded.size(), (Object) ((System.nanoTime() - t0) / 1_000_000));
        } catch (RuntimeException e) {
            LOG.debugf("batch of %d failed (%s); applying one at a time", decoded.size(), e);
            for (int i = 0; i < decoded.size(); i++) {
                applyOne(valid.get(i), decoded.get(i).envelope(), decoded.get(i).payload());
            }
            return;
        }
        for (int i = 0; i < decoded.size(); i++) {
            if (fresh.get(i)) {
                broadcaster.publish(decoded.get(i).envelope());
            }
        }
    }

    /** One record on its own: retried, and dead-lettered with the reason when it keeps failing. */
    private void applyOne(ConsumerRecord<String, String> record, Envelope envelope, Object payload) {
        for (int attempt = 1;; attempt++) {
            try {
                Envelope applied = envelope;
                Object data = payload;
                if (gate.live(() -> projector.apply(applied, data))) {
                    broadcaster.publish(envelope);
                }
                return;
            } catch (InvalidEventException e) {
                deadLetter(record, e.getMessage());
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.errorf(e, "giving up on %s/%d/%d after %d attempts", record.topic(), record.partition(),
                            record.offset(), attempt);
                    deadLetter(record, "processing failed: " + e);
                    return;
                }
                LOG.warnf("attempt %d to apply %s/%d/%d failed (%s); retrying", attempt, record.topic(),
                        record.partition(), record.offset(), e);
                sleep(500L * attempt);
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, String reason) {
        LOG.warnf("dead-lettering %s/%d/%d: %s", record.topic(), record.partition(), record.offset(), reason);
        deadLetters.publish(record, reason);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
