package io.splicelab.splicer;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes hybrid cells, TC summaries, grid progress and feature snapshots, keyed by run id, waiting for the broker's ack. */
@ApplicationScoped
public class SplicerPublisher {
    private final EventCodec codec = new EventCodec("/splicer-service");
    private final MutinyEmitter<String> hybridResults;
    private final MutinyEmitter<String> featureSnapshots;

    public SplicerPublisher(@Channel("hybrid-results") MutinyEmitter<String> hybridResults,
            @Channel("feature-snapshots") MutinyEmitter<String> featureSnapshots) {
        this.hybridResults = hybridResults;
        this.featureSnapshots = featureSnapshots;
    }

    public void publish(HybridEvaluated cell) {
        hybridResults.sendMessageAndAwait(KafkaRecord.of(cell.runId(), codec.encode(cell.runId(), cell)));
    }

    public void publish(TcSummaryComputed summary) {
        hybridResults.sendMessageAndAwait(KafkaRecord.of(summary.runId(), codec.encode(summary.runId(), summary)));
    }

    public void publish(GridProgress progress) {
        hybridResults.sendMessageAndAwait(KafkaRecord.of(progress.runId(), codec.encode(progress.runId(), progress)));
    }

    public void publish(FeaturesSnapshotted snapshot) {
        featureSnapshots.sendMessageAndAwait(KafkaRecord.of(snapshot.runId(),
                codec.encode(snapshot.runId(), snapshot)));
    }
}
