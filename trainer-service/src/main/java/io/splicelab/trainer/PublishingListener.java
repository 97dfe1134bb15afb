package io.splicelab.trainer;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.trainer.training.TrainingListener;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Turns what the training loop reports into artifacts and events: a checkpoint is written to the store
 * (parameters, then its manifest) before its event is published, so a consumer can always read what an
 * event announces.
 */
final class PublishingListener implements TrainingListener {
    private final String runId;
    private final RunConfig config;
    private final NetworkSpec spec;
    private final ArtifactStore store;
    private final EventPublisher publisher;
    private final BooleanSupplier cancelled;
    private int checkpoints;
    private double lastTrainAccuracy = Double.NaN;

    PublishingListener(String runId, RunConfig config, NetworkSpec spec, ArtifactStore store, EventPublisher publisher,
            BooleanSupplier cancelled) {
        this.runId = runId;
        this.config = config;
        this.spec = spec;
        this.store = store;
        this.publisher = publisher;
        this.cancelled = cancelled;
    }

    @Override
    public void onProgress(int step, int totalSteps, double loss, double accuracy, double learningRate,
            double imagesPerSecond) {
        lastTrainAccuracy = accuracy;
        publisher.publish(runId, new RunProgress(runId, step, totalSteps, loss, accuracy, learningRate,
                imagesPerSecond));
    }

    @Override
    public void onCheckpoint(int step, int index, byte[] parameters, double trainLoss, double trainAccuracy) {
        ArtifactRef ref = store.put(RunArtifacts.checkpointParams(runId, step), parameters, Checkpoints.MEDIA_TYPE);
        CheckpointCreated event = new CheckpointCreated(runId, step, index, config, spec, ref,
                Double.isNaN(trainLoss) ? 0 : trainLoss, Double.isNaN(trainAccuracy) ? 0 : trainAccuracy);
        store.put(RunArtifacts.checkpointManifest(runId, step),
                EventCodec.toJson(event).getBytes(StandardCharsets.UTF_8), "application/json");
        publisher.publish(runId, event);
        checkpoints++;
    }

    @Override
    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    int checkpoints() {
        return checkpoints;
    }

    double lastTrainAccuracy() {
        return lastTrainAccuracy;
    }
}
