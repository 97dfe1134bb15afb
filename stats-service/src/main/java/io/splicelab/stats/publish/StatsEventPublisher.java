package io.splicelab.stats.publish;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.splicelab.edge.publish.ContractPublisher;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Topics;
import io.splicelab.stats.results.StatsResultRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Hands over the results of one consumed event: every result stored first (one upsert transaction), then each
 * published as a {@code StatsComputed} CloudEvent on {@code splicelab.stats-results} through the edge's
 * {@link ContractPublisher}, keyed by run id, returning only once the broker acknowledged. So an incoming record
 * is only committed once its results are out, and a crash in between redelivers it: the upsert makes the redo
 * harmless, and a result is never published without being stored.
 */
@ApplicationScoped
public class StatsEventPublisher {
    private final ContractPublisher publisher;
    private final StatsResultRepository repository;

    public StatsEventPublisher(@Channel("stats-results") MutinyEmitter<String> emitter,
            @ConfigProperty(name = "quarkus.application.name") String service, StatsResultRepository repository) {
        this.publisher = new ContractPublisher(service, Map.of(Topics.STATS_RESULTS, emitter));
        this.repository = repository;
    }

    /** Stores the results, then publishes them. */
    public void storeAndPublish(List<StatsComputed> results) {
        repository.upsertAll(results, Instant.now());
        results.forEach(r -> publisher.publish(r.runId(), r));
    }
}
