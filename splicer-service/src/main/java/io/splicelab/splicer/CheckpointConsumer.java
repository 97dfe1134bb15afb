package io.splicelab.splicer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Accepts checkpoint events and acknowledges them at once; the evaluation, which can take minutes, happens on
 * the {@link SplicerWorker}'s thread. The service edge's consumer rule ({@link RecordGate}) reads the envelope,
 * its type and run id; the splicer's own acceptance checks ({@link CheckpointAcceptance}) run in the handler:
 * the artifacts it names are regular files inside the store (an import's manifest present and its dataset
 * fitting it), then a {@link PendingWork} item is persisted (durable before the acknowledgement). A record that fails any of this,
 * for whatever reason, goes to the dead-letter topic with the reason; the consumer keeps going.
 */
@ApplicationScoped
public class CheckpointConsumer {
    private final CheckpointAcceptance acceptance;
    private final PendingWork pending;
    private final SplicerWorker worker;
    private final ContractConsumer consumer;

    public CheckpointConsumer(CheckpointAcceptance acceptance, PendingWork pending, SplicerWorker worker,
            RecordGate gate) {
        this.acceptance = acceptance;
        this.pending = pending;
        this.worker = worker;
        this.consumer = gate.consumer(Topics.CHECKPOINTS)
                .on(EventType.CHECKPOINT_CREATED, CheckpointCreated.class, e -> accept(e.payload()))
                .on(EventType.CHECKPOINT_IMPORTED, CheckpointImported.class, e -> accept(e.payload()))
                .build();
    }

    @Incoming("checkpoints")
    @Blocking(ordered = true)
    public CompletionStage<Void> onCheckpoint(Message<String> message) {
        return consumer.accept(message);
    }

    private void accept(CheckpointCreated checkpoint) {
        acceptance.validate(checkpoint);
        worker.submit(pending.add(checkpoint));
    }

    private void accept(CheckpointImported imported) {
        acceptance.validate(imported);
        worker.submit(pending.add(imported));
    }
}
