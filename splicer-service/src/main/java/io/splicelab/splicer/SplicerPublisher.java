package io.splicelab.splicer;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.splicelab.edge.publish.ContractPublisher;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes hybrid cells, TC summaries, grid progress and feature snapshots through the service edge's
 * {@link ContractPublisher}: keyed by run id, waiting for the broker's ack. One method per payload so that the
 * splicing code (and its tests, which capture them) names what it publishes.
 */
@ApplicationScoped
public class SplicerPublisher {
    private final ContractPublisher publisher;

    @Inject
    public SplicerPublisher(@Channel("hybrid-results") MutinyEmitter<String> hybridResults,
            @Channel("feature-snapshots") MutinyEmitter<String> featureSnapshots,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this(new ContractPublisher(service, Map.of(Topics.HYBRID_RESULTS, hybridResults, Topics.FEATURE_SNAPSHOTS,
                featureSnapshots)));
    }

    /** Around a publisher built elsewhere (null for a subclass that captures instead, in tests). */
    protected SplicerPublisher(ContractPublisher publisher) {
        this.publisher = publisher;
    }

    public void publish(HybridEvaluated cell) {
        send(cell.runId(), cell);
    }

    public void publish(TcSummaryComputed summary) {
        send(summary.runId(), summary);
    }

    public void publish(GridProgress progress) {
        send(progress.runId(), progress);
    }

    public void publish(FeaturesSnapshotted snapshot) {
        send(snapshot.runId(), snapshot);
    }

    /** The one way out, keyed by run id (a test subclass captures here). */
    protected void send(String runId, Object payload) {
        publisher.publish(runId, payload);
    }
}
