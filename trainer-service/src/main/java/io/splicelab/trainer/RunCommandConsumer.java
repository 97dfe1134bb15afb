package io.splicelab.trainer;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads run commands (start a run, cancel a run) and hands valid ones to the run queue. A command that cannot be read or whose
 * configuration is invalid goes to the dead-letter topic with the reason; the consumer keeps going.
 */
@ApplicationScoped
public class RunCommandConsumer {
    private static final Logger LOG = Logger.getLogger(RunCommandConsumer.class);

    private final RunQueue queue;
    private final DeadLetterPublisher deadLetters;

    public RunCommandConsumer(RunQueue queue, DeadLetterPublisher deadLetters) {
        this.queue = queue;
        this.deadLetters = deadLetters;
    }

    @Incoming("run-commands")
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> String.valueOf(m.getKey()))
                .orElse(null);
        try {
            Envelope envelope = EventCodec.decode(message.getPayload());
            if (EventType.RUN_CANCEL_REQUESTED.type().equals(envelope.type())) {
                RunCancelRequested cancel = EventCodec.payload(envelope, RunCancelRequested.class);
                if (cancel.runId() == null || cancel.runId().isBlank()) {
                    throw new InvalidEventException("runId is required");
                }
                queue.cancel(cancel.runId());
                return message.ack();
            }
            if (!EventType.RUN_REQUESTED.type().equals(envelope.type())) {
                throw new InvalidEventException("unexpected event type " + envelope.type() + " on "
                        + Topics.RUN_COMMANDS);
            }
            RunRequested command = EventCodec.payload(envelope, RunRequested.class);
            if (command.runId() == null || command.runId().isBlank() || command.config() == null) {
                throw new InvalidEventException("runId and config are required");
            }
            RunConfig config = command.config().withDefaults();
            var errors = config.validate();
            if (!errors.isEmpty()) {
                throw new InvalidEventException("invalid run configuration: " + errors);
            }
            queue.submit(new RunRequested(command.runId(), config));
        } catch (InvalidEventException e) {
            LOG.warnf("dead-lettering command %s: %s", key, e.getMessage());
            deadLetters.send(key, message.getPayload(), Topics.RUN_COMMANDS, e.getMessage());
        }
        return message.ack();
    }
}
