package io.splicelab.splicer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Accepts checkpoint events and acknowledges them at once; the evaluation, which can take minutes, happens on
 * the {@link SplicerWorker}'s thread. Accepting is quick: decode, check the type and the required fields, check
 * that the artifacts it names are files in the store (and that an import's dataset fits its manifest), then
 * persist a {@link PendingWork} item (durable before the acknowledgement). A record that fails any of this,
 * for whatever reason, goes to the dead-letter topic with the reason; the consumer keeps going.
 */
@ApplicationScoped
public class CheckpointConsumer {
    private static final Logger LOG = Logger.getLogger(CheckpointConsumer.class);

    private final SplicingService splicing;
    private final PendingWork pending;
    private final SplicerWorker worker;
    private final DeadLetterPublisher deadLetters;

    public CheckpointConsumer(SplicingService splicing, PendingWork pending, SplicerWorker worker,
            DeadLetterPublisher deadLetters) {
        this.splicing = splicing;
        this.pending = pending;
        this.worker = worker;
        this.deadLetters = deadLetters;
    }

    @Incoming("checkpoints")
    @Blocking(ordered = true)
    public CompletionStage<Void> onCheckpoint(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> String.valueOf(m.getKey()))
                .orElse(null);
        try {
            worker.submit(accept(message.getPayload()));
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warnf("dead-lettering checkpoint record %s: %s", key, reason);
            try {
                deadLetters.send(key, message.getPayload(), Topics.CHECKPOINTS, reason);
            } catch (Exception failed) {
                LOG.errorf(failed, "cannot dead-letter checkpoint record %s (%s)", key, reason);
            }
        }
        return message.ack();
    }

    /** Checks a record and persists it as a work item; returns the item's key. */
    String accept(String value) {
        Envelope envelope = EventCodec.decode(value);
        if (EventType.CHECKPOINT_IMPORTED.type().equals(envelope.type())) {
            CheckpointImported imported = EventCodec.payload(envelope, CheckpointImported.class);
            splicing.validate(imported);
            return pending.add(imported);
        }
        if (!EventType.CHECKPOINT_CREATED.type().equals(envelope.type())) {
            throw new InvalidEventException("unexpected event type " + envelope.type() + " on " + Topics.CHECKPOINTS);
        }
        CheckpointCreated checkpoint = EventCodec.payload(envelope, CheckpointCreated.class);
        splicing.validate(checkpoint);
        return pending.add(checkpoint);
    }
}
