package io.splicelab.stats.consume;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.RunDeleted;
import io.splicelab.model.events.Topics;
import io.splicelab.stats.results.RunRemoval;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Honours {@code run.deleted}: what the service stored of a deleted run (its results, the accuracies and analysis
 * inputs of its checkpoints) is dropped, so the API no longer serves it; the run's later events are skipped by the
 * edge's consumer rule, which sees the gateway's deletion marker, instead of being dead-lettered for their missing
 * artifacts. The other lifecycle events share the topic and are checked, then ignored.
 */
@ApplicationScoped
public class RunDeletedConsumer {
    private final ContractConsumer consumer;

    public RunDeletedConsumer(RunRemoval removal, RecordGate gate) {
        this.consumer = gate.consumer("run-events")
                .on(EventType.RUN_DELETED, RunDeleted.class, e -> removal.forget(e.runId()))
                .ignore(Arrays.stream(EventType.values())
                        .filter(t -> t.topic().equals(Topics.RUN_EVENTS) && t != EventType.RUN_DELETED)
                        .toArray(EventType[]::new))
                .build();
    }

    @Incoming("run-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        consumer.accept(record);
    }
}
