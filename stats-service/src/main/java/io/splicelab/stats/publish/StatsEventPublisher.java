package io.splicelab.stats.publish;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.splicelab.edge.publish.ContractPublisher;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes {@code StatsComputed} CloudEvents on {@code splicelab.stats-results} through the edge's
 * {@link ContractPublisher}: keyed by run id, and only returned from once the broker acknowledged, so that
 * an incoming record is only committed once its results are out.
 */
@ApplicationScoped
public class StatsEventPublisher {
    private final ContractPublisher publisher;

    public StatsEventPublisher(@Channel("stats-results") MutinyEmitter<String> emitter,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.publisher = new ContractPublisher(service, Map.of(Topics.STATS_RESULTS, emitter));
    }

    public void publish(StatsComputed result) {
        publisher.publish(result.runId(), result);
    }
}
