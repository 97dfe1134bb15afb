package io.splicelab.edge.deadletter;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
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
 * the original record only once its dead letter is stored.
 */
@ApplicationScoped
public class DeadLetterPublisher implements DeadLetterSink {
    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final MutinyEmitter<String> emitter;
    private final String service;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<String> emitter,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.emitter = emitter;
        this.service = service;
    }

    @Override
    public void send(DeadLetter letter) {
        LOG.warnf("dead-lettering %s-%s@%s (key %s, type %s): %s", letter.sourceTopic(), letter.partition(),
                letter.offset(), RunIds.quote(letter.key()), RunIds.quote(letter.eventType()), letter.reason());
        emitter.sendMessageAndAwait(Message.of(letter.value() == null ? "" : letter.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(letter.key())
                        .withHeaders(letter.headers(service)).build()));
    }

    /** The service named in the dead letters' {@code splicelab-service} header. */
    public String service() {
        return service;
    }
}
