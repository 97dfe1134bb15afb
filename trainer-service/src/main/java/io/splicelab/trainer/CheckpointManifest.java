package io.splicelab.trainer;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
import java.util.Map;

/**
 * The manifest written next to a checkpoint, at {@code RunArtifacts.checkpointManifest}: a superset of
 * the CheckpointCreated payload (so readers that parse it as that still work) with the epoch, the test
 * accuracy at the checkpoint, the optimizer state artifact and the sha256 of every artifact. It is
 * written last: a checkpoint without a manifest is incomplete and a resume ignores it.
 *
 * @param testAccuracy accuracy on {@code testSamples} test examples (the seeded evaluation subset; the
 *     whole test split at the last step); null when not measured
 * @param artifacts sha256 by artifact role ({@code parameters}, {@code optimizerState})
 */
public record CheckpointManifest(String runId, int step, int index, RunConfig config, NetworkSpec network,
        ArtifactRef parameters, double trainLoss, double trainAccuracy, double epoch, Double testAccuracy,
        int testSamples, ArtifactRef optimizerState, Map<String, String> artifacts) {

    /** The event announcing this checkpoint. */
    public CheckpointCreated event() {
        return new CheckpointCreated(runId, step, index, config, network, parameters, trainLoss, trainAccuracy);
    }
}
