package io.splicelab.model.plugin;

import io.splicelab.model.events.EventType;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A plugged-in analysis: a Kafka consumer group of its own on the public topics that reads events (and the
 * artifacts they point to) and publishes {@code StatsComputed} results on {@code splicelab.stats-results},
 * which the gateway shows without changes.
 *
 * <p>Implement this interface and hand it to a runner (the example {@code cka-consumer} module has one on
 * plain kafka-clients, {@code io.splicelab.cka.KafkaPluginRunner}); the {@link EventDispatcher} does the
 * rest: decoding CloudEvents, skipping types the consumer did not ask for, verified artifact reads,
 * dead-lettering what cannot be processed.
 *
 * <pre>{@code
 * public final class MyAnalysis implements AnalysisConsumer {
 *     public String name() { return "my-analysis"; }
 *     public Set<EventType> eventTypes() { return Set.of(EventType.FEATURES_SNAPSHOTTED); }
 *     public void onEvent(ReceivedEvent event, PluginContext context) {
 *         FeaturesSnapshotted f = event.payload(FeaturesSnapshotted.class);
 *         FeatureSnapshot snapshot = context.featureSnapshot(f.features());   // size and sha256 checked
 *         context.publish(StatsResults.scalar(f.runId(), name(), cut, f.probeSet(), List.of(f.step()),
 *                 Map.of(), Map.of("value", 42.0)));
 *     }
 * }
 * }</pre>
 *
 * <p>Rules a consumer follows: it is idempotent (results are upserted downstream by their natural key
 * (runId, source, analysis, cut, probeSet, evalSet, bnMode, steps), the source being {@code /plugins/<name>}, so
 * recomputing after a redelivery or a replay is harmless and another producer's result of the same name stays); it
 * keys nothing itself (results are keyed by run id); it throws with a human-readable message when an
 * event cannot be processed (the event goes to {@code splicelab.dead-letters} with that reason and the
 * consumer keeps going).
 */
public interface AnalysisConsumer {

    /**
     * The consumer's name: the default Kafka consumer group is {@code splicelab-plugin-<name>} and the
     * CloudEvents source of its results {@code /plugins/<name>}. Letters, digits, '.', '_' and '-'.
     */
    String name();

    /** The event types this consumer wants; events of other types on the same topics are skipped. */
    Set<EventType> eventTypes();

    /**
     * Handles one event. Results go through {@link PluginContext#publish}; they are sent only when this
     * method returns normally.
     *
     * @throws Exception with a human-readable message when the event cannot be processed: it is
     *         dead-lettered with that reason and the results published so far for it are dropped
     */
    void onEvent(ReceivedEvent event, PluginContext context) throws Exception;

    /**
     * Called after every batch of events a runner polled, e.g. to publish results accumulated over the batch.
     * Results published here are sent with the batch's. Default: nothing.
     */
    default void onBatchEnd(PluginContext context) {
    }

    /** The topics that carry {@link #eventTypes()}: what a runner subscribes to. */
    default Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        for (EventType t : eventTypes()) {
            topics.add(t.topic());
        }
        return topics;
    }
}
