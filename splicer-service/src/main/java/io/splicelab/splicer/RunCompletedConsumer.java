package io.splicelab.splicer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunDeleted;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Watches the run lifecycle for completed runs: the trainer writes its completed marker after the run's last
 * checkpoint event, so the grid's last status may have been {@code waiting}; once the worker has done what was
 * queued before, it reports the run's status again ({@code complete} when every cell is there). The other
 * lifecycle events share the topic and are checked, then ignored, but {@code run.deleted}: the deleted run's grid
 * leaves memory (its later events are skipped by the edge's rule, which sees the gateway's deletion marker); a record that breaks the contract is
 * dead-lettered by the edge's consumer rule.
 */
@ApplicationScoped
public class RunCompletedConsumer {
    private final ContractConsumer consumer;

    public RunCompletedConsumer(SplicerWorker worker, RecordGate gate) {
        this.consumer = gate.consumer(Topics.RUN_EVENTS)
                .on(EventType.RUN_COMPLETED, RunCompleted.class, e -> worker.reportStatus(e.runId()))
                .on(EventType.RUN_DELETED, RunDeleted.class, e -> worker.forget(e.runId()))
                .ignore(otherLifecycleTypes())
                .build();
    }

    /** Every type of the run-events topic but {@code run.completed} and {@code run.deleted}. */
    static EventType[] otherLifecycleTypes() {
        return java.util.Arrays.stream(EventType.values())
                .filter(t -> t.topic().equals(Topics.RUN_EVENTS) && t != EventType.RUN_COMPLETED
                        && t != EventType.RUN_DELETED)
                .toArray(EventType[]::new);
    }

    @Incoming("run-events")
    @Blocking(ordered = true)
    public CompletionStage<Void> onRunEvent(Message<String> message) {
        return consumer.accept(message);
    }
}
