package io.splicelab.trainer;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.splicelab.edge.publish.ContractPublisher;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the trainer's events (run lifecycle, checkpoints, noise samples) through the service edge's
 * {@link ContractPublisher}: keyed by run id, and only returned from once the broker acknowledged, so that a
 * checkpoint event is never announced before the one before it.
 */
@ApplicationScoped
public class EventPublisher {
    private final ContractPublisher publisher;

    public EventPublisher(@Channel("run-events") MutinyEmitter<String> runEvents,
            @Channel("checkpoints") MutinyEmitter<String> checkpoints,
            @Channel("noise-samples") MutinyEmitter<String> noiseSamples,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.publisher = new ContractPublisher(service, Map.of(Topics.RUN_EVENTS, runEvents, Topics.CHECKPOINTS,
                checkpoints, Topics.NOISE_SAMPLES, noiseSamples));
    }

    /** Publishes a payload of the trainer's topics under its run id and waits for the broker. */
    public void publish(String runId, Object payload) {
        publisher.publish(runId, payload);
    }
}
