package io.splicelab.model.plugin;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.store.ArtifactStore;

/** What a plugged-in consumer can do while it handles an event. */
public interface PluginContext {

    /** The shared artifact store (the directory or volume the services write to). */
    ArtifactStore artifacts();

    /**
     * Reads an artifact an event announced, checking its size and sha256 against the reference.
     *
     * @throws io.splicelab.model.store.ArtifactIntegrityException when it is missing or differs
     */
    default byte[] read(ArtifactRef ref) {
        if (ref == null) {
            throw new IllegalArgumentException("the event carries no artifact reference");
        }
        return artifacts().get(ref);
    }

    /**
     * Reads and decodes a feature snapshot artifact (verified as {@link #read}).
     *
     * @throws IllegalArgumentException when the artifact is not a feature snapshot
     */
    default FeatureSnapshot featureSnapshot(ArtifactRef ref) {
        return FeatureSnapshot.decode(read(ref));
    }

    /** Publishes a result on {@code splicelab.stats-results}, keyed by its run id. */
    void publish(StatsComputed result);
}
