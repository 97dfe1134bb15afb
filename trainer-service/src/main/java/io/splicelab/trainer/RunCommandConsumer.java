package io.splicelab.trainer;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.edge.consume.ContractConsumer;
import io.splicelab.edge.consume.ContractEvent;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.RunConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads run commands (start a run, cancel a run) and hands valid ones to the run queue. The service edge's
 * consumer rule applies: a command that is not a valid event of the topic, whose run id breaks the contract's
 * rule (e.g. {@code ../x}), whose configuration is invalid, or that fails in any other way goes to the
 * dead-letter topic with the reason, and the consumer keeps going.
 */
@ApplicationScoped
public class RunCommandConsumer {
    private final RunQueue queue;
    private final ContractConsumer consumer;

    public RunCommandConsumer(RunQueue queue, RecordGate gate) {
        this.queue = queue;
        this.consumer = gate.consumer("run-commands")
                .on(EventType.RUN_REQUESTED, RunRequested.class, this::onRunRequested)
                .on(EventType.RUN_CANCEL_REQUESTED, RunCancelRequested.class, e -> queue.cancel(e.runId()))
                .build();
    }

    @Incoming("run-commands")
    @Blocking
    public void onCommand(ConsumerRecord<String, String> record) {
        consumer.accept(record);
    }

    private void onRunRequested(ContractEvent<RunRequested> event) {
        if (event.payload().config() == null) {
            throw new InvalidEventException("config is required");
        }
        RunConfig config = event.payload().config().withDefaults();
        var errors = config.validate();
        if (!errors.isEmpty()) {
            throw new InvalidEventException("invalid run configuration: " + errors);
        }
        queue.submit(new RunRequested(event.runId(), config));
    }
}
