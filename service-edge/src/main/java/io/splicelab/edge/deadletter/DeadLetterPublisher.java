package io.splicelab.edge.deadletter;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.edge.health.ProducerHealth;
import io.splicelab.model.events.RunIds;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The one dead-letter publisher of every service: writes a {@link DeadLetter} to the outgoing channel
 * {@code dead-letters} (topic {@code splicelab.dead-letters}) with the convention's headers, the service being
 * {@code quarkus.application.name}, and waits for the broker's acknowledgement, so the consumer acknowledges
 * the original record only once its dead letter is stored. Each outcome is reported to {@link ProducerHealth}
 * (readiness), a fatal error among a failure's causes to {@link FatalErrors} (liveness).
 */
@ApplicationScoped
public class DeadLetterPublisher implements DeadLetterSink {
    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    /** The outgoing channel of the dead letters. */
    public static final String CHANNEL = "dead-letters";

    private final MutinyEmitter<String> emitter;
    private final String service;
    private final ProducerHealth health;
    private final FatalErrors fatal;

    public DeadLetterPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter,
            @ConfigProperty(name = "quarkus.application.name") String service, ProducerHealth health,
            FatalErrors fatal) {
        this.emitter = emitter;
        this.service = service;
        this.health = health;
        this.fatal = fatal;
    }

    @Override
    public void send(DeadLetter letter) {
        LOG.warnf("dead-lettering %s-%s@%s (key %s, type %s): %s", letter.sourceTopic(), letter.partition(),
                letter.offset(), RunIds.quote(letter.key()), RunIds.quote(letter.eventType()), letter.reason());
        try {
            emitter.sendMessageAndAwait(Message.of(letter.value() == null ? "" : letter.value())
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(letter.key())
                            .withHeaders(letter.headers(service)).build()));
            health.succeeded(CHANNEL);
        } catch (RuntimeException | Error e) {
            fatal.check(e, "channel " + CHANNEL);
            health.failed(CHANNEL, e);
            throw e;
        }
    }

    /** The service named in the dead letters' {@code splicelab-service} header. */
    public String service() {
        return service;
    }
}
