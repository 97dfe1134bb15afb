package io.splicelab.gateway.runs;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import java.time.Instant;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import io.splicelab.gateway.health.FatalErrors;
import io.splicelab.gateway.health.ProducerHealth;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends run commands to {@link Topics#RUN_COMMANDS}, keyed by run id, and waits for Kafka's acknowledgement,
 * so that "202 Accepted" means the command is durably in Kafka.
 */
@ApplicationScoped
public class RunCommandPublisher {
    private static final EventCodec CODEC = new EventCodec("/gateway");
    private static final String CHANNEL = "run-commands";

    private final MutinyEmitter<String> emitter;
    private final Duration timeout;
    private final ProducerHealth health;
    private final FatalErrors fatal;

    public RunCommandPublisher(@Channel("run-commands") MutinyEmitter<String> emitter,
            @ConfigProperty(name = "splicelab.commands.send-timeout", defaultValue = "15s") Duration timeout,
            ProducerHealth health, FatalErrors fatal) {
        this.emitter = emitter;
        this.timeout = timeout;
        this.health = health;
        this.fatal = fatal;
    }

    /**
     * Publishes a run request stamped with {@code time} (the run's creation time in the read model, so a rebuild
     * from the topics restores it exactly); throws when Kafka did not acknowledge it in time.
     */
    public void requestRun(String runId, RunConfig config, Instant time) {
        Envelope e = CODEC.wrap(runId, new RunRequested(runId, config));
        send(runId, new Envelope(e.specversion(), e.id(), e.source(), e.type(), e.subject(), time.toString(),
                e.datacontenttype(), e.dataschema(), e.schemaversion(), e.data()));
    }

    /** Publishes a cancel request; throws when Kafka did not acknowledge it in time. */
    public void cancelRun(String runId, String reason) {
        send(runId, CODEC.wrap(runId, new RunCancelRequested(runId, reason)));
    }

    private void send(String runId, Envelope envelope) {
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder().withKey(runId).build();
        try {
            emitter.sendMessage(Message.of(EventCodec.toJson(envelope)).addMetadata(key)).await().atMost(timeout);
            health.succeeded(CHANNEL);
        } catch (RuntimeException | Error e) {
            fatal.check(e);
            health.failed(CHANNEL, e);
            throw e;
        }
    }
}
