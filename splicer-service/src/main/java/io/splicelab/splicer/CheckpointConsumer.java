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
import io.splicelab.model.store.ArtifactIntegrityException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads checkpoint events one at a time (a run's events arrive in order on one partition) and hands
 * them to the splicing service: created checkpoints (trained here) and imported ones (ONNX segments). An event
 * that cannot be read, whose artifact is missing or does not match its sha256, or an import whose files or
 * dataset do not fit its manifest, goes to the dead-letter topic with the reason; the consumer keeps going.
 */
@ApplicationScoped
public class CheckpointConsumer {
    private static final Logger LOG = Logger.getLogger(CheckpointConsumer.class);

    private final SplicingService splicing;
    private final DeadLetterPublisher deadLetters;

    public CheckpointConsumer(SplicingService splicing, DeadLetterPublisher deadLetters) {
        this.splicing = splicing;
        this.deadLetters = deadLetters;
    }

    @Incoming("checkpoints")
    @Blocking(ordered = true)
    public CompletionStage<Void> onCheckpoint(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> String.valueOf(m.getKey()))
                .orElse(null);
        try {
            Envelope envelope = EventCodec.decode(message.getPayload());
            if (EventType.CHECKPOINT_IMPORTED.type().equals(envelope.type())) {
                CheckpointImported imported = EventCodec.payload(envelope, CheckpointImported.class);
                if (imported.runId() == null || imported.manifest() == null || imported.segments() == null
                        || imported.dataset() == null) {
                    throw new InvalidEventException("runId, dataset, manifest and segments are required");
                }
                splicing.onImported(imported);
                return message.ack();
            }
            if (!EventType.CHECKPOINT_CREATED.type().equals(envelope.type())) {
                throw new InvalidEventException("unexpected event type " + envelope.type() + " on "
                        + Topics.CHECKPOINTS);
            }
            CheckpointCreated checkpoint = EventCodec.payload(envelope, CheckpointCreated.class);
            if (checkpoint.runId() == null || checkpoint.parameters() == null || checkpoint.network() == null
                    || checkpoint.config() == null) {
                throw new InvalidEventException("runId, parameters, network and config are required");
            }
            splicing.onCheckpoint(checkpoint);
        } catch (InvalidEventException | ArtifactIntegrityException | IllegalArgumentException e) {
            LOG.warnf("dead-lettering checkpoint record %s: %s", key, e.getMessage());
            deadLetters.send(key, message.getPayload(), Topics.CHECKPOINTS, e.getMessage());
        }
        return message.ack();
    }
}
