package io.splicelab.gateway.ingest;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.ContractEvent;
import io.splicelab.edge.consume.IncomingRecord;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.gateway.readmodel.ReadModelGate;
import io.splicelab.gateway.readmodel.ReadModelProjector;
import io.splicelab.gateway.stream.EventBroadcaster;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The gateway's Kafka consumer (group {@code gateway}) on every public result topic. A thin adapter: each record
 * goes through the service edge's consumer rule ({@link ContractConsumer}: decoded, validated, dead-lettered with
 * the contract's headers when it is not a valid event), then the valid events are folded into the read model and
 * fanned out to the live streams. Records arrive as polled batches and are applied in order, in one transaction per
 * batch ({@link ReadModelBatch}); a batch that fails is applied again one record at a time, through the rule again,
 * with retries and a dead letter for a record that still fails (the rule's handler failure). Fan-out happens only
 * after the read model committed, which is what lets a late stream client replay the log without a gap.
 */
@ApplicationScoped
public class ResultEventsConsumer {
    private static final Logger LOG = Logger.getLogger(ResultEventsConsumer.class);
    private static final int ATTEMPTS = 3;
    private static final String CHANNEL = "results";

    private final ReadModelProjector projector;
    private final EventBroadcaster broadcaster;
    private final ReadModelGate gate;
    private final ReadModelBatch batch;
    private final FatalErrors fatal;
    /** Decodes and validates into {@link #pending}; the channel is consumed by one thread at a time (ordered). */
    private final ContractConsumer collect;
    /** Applies one event on its own, with retries; what still fails is dead-lettered. */
    private final ContractConsumer applyOne;
    private List<ContractEvent<Object>> pending = new ArrayList<>();

    public ResultEventsConsumer(ReadModelProjector projector, EventBroadcaster broadcaster, RecordGate records,
            ReadModelGate gate, ReadModelBatch batch, FatalErrors fatal) {
        this.fatal = fatal;
        this.gate = gate;
        this.batch = batch;
        this.projector = projector;
        this.broadcaster = broadcaster;
        ContractConsumer.Builder collecting = records.consumer(CHANNEL);
        ContractConsumer.Builder applying = records.consumer(CHANNEL);
        for (EventType type : EventType.values()) {
            collectAs(collecting, type);
            applyAs(applying, type);
        }
        this.collect = collecting.build();
        this.applyOne = applying.build();
    }

    @SuppressWarnings("unchecked")
    private <P> void collectAs(ContractConsumer.Builder builder, EventType type) {
        builder.on(type, (Class<P>) type.payloadClass(), e -> pending.add((ContractEvent<Object>) e));
    }

    @SuppressWarnings("unchecked")
    private <P> void applyAs(ContractConsumer.Builder builder, EventType type) {
        builder.on(type, (Class<P>) type.payloadClass(), e -> apply((ContractEvent<Object>) e));
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        try {
            consumeBatch(records);
        } catch (RuntimeException | Error e) {
            fatal.check(e, "channel " + CHANNEL);
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
        pending = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : commandsFirst(records)) {
            collect.accept(record); // an invalid record is dead-lettered here
        }
        List<ContractEvent<Object>> valid = pending;
        pending = new ArrayList<>();
        if (valid.isEmpty()) {
            return;
        }
        List<ReadModelBatch.Decoded> decoded = valid.stream()
                .map(e -> new ReadModelBatch.Decoded(e.envelope(), e.payload())).toList();
        List<Boolean> fresh;
        long t0 = System.nanoTime();
        try {
            fresh = gate.live(() -> batch.applyAll(decoded));
            LOG.debugf("applied a batch of %s in %s ms", (Object) decoded.size(),
                    (Object) ((System.nanoTime() - t0) / 1_000_000));
        } catch (RuntimeException e) {
            LOG.debugf("batch of %d failed (%s); applying one at a time", decoded.size(), e);
            for (ContractEvent<Object> event : valid) {
                applyOne.process(event.source());
            }
            return;
        }
        for (int i = 0; i < decoded.size(); i++) {
            if (fresh.get(i)) {
                broadcaster.publish(decoded.get(i).envelope());
            }
        }
    }

    /** One event on its own: retried; an invalid event, or one that keeps failing, throws (and is dead-lettered). */
    private void apply(ContractEvent<Object> event) throws InterruptedException {
        IncomingRecord where = event.source();
        for (int attempt = 1;; attempt++) {
            try {
                if (gate.live(() -> projector.apply(event.envelope(), event.payload()))) {
                    broadcaster.publish(event.envelope());
                }
                return;
            } catch (InvalidEventException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.errorf(e, "giving up on %s after %d attempts", where.where(), attempt);
                    throw e;
                }
                LOG.warnf("attempt %d to apply %s failed (%s); retrying", attempt, where.where(), e);
                Thread.sleep(500L * attempt);
            }
        }
    }
}
