package io.splicelab.trainer;

import io.splicelab.model.features.NoiseMatrix;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.trainer.training.CheckpointState;
import io.splicelab.trainer.training.NoiseSample;
import io.splicelab.trainer.training.TrainingListener;
import io.splicelab.trainer.training.UpdateRule;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Turns what the training loop reports into artifacts and events: a checkpoint's artifacts are written
 * to the store (optimizer state, parameters, then its manifest) before its event is published, so a
 * consumer can always read what an event announces. The store refuses different content under an
 * existing key, so a resumed run can never publish a checkpoint twice with different content.
 */
final class PublishingListener implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(PublishingListener.class);
    private final String runId;
    private final RunConfig config;
    private final NetworkSpec spec;
    private final ArtifactStore store;
    private final EventPublisher publisher;
    private final BooleanSupplier cancelled;
    private int checkpoints;
    private double lastTrainAccuracy = Double.NaN;
    private Double lastTestAccuracy;
    private int lastTestSamples;
    private int lastStep = -1;

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
    public void onCheckpoint(CheckpointState c) {
        ArtifactRef optimizer = store.put(TrainerArtifacts.optimizerState(runId, c.step()), c.optimizerState(),
                UpdateRule.MEDIA_TYPE);
        ArtifactRef params = store.put(RunArtifacts.checkpointParams(runId, c.step()), c.parameters(),
                Checkpoints.MEDIA_TYPE);
        Double test = Double.isNaN(c.testAccuracy()) ? null : c.testAccuracy();
        CheckpointManifest manifest = new CheckpointManifest(runId, c.step(), c.index(), config, spec, params,
                Double.isNaN(c.trainLoss()) ? 0 : c.trainLoss(), Double.isNaN(c.trainAccuracy()) ? 0 : c.trainAccuracy(),
                c.epoch(), test, c.testSamples(), optimizer,
                Map.of("parameters", params.sha256(), "optimizerState", optimizer.sha256()));
        store.put(RunArtifacts.checkpointManifest(runId, c.step()),
                EventCodec.toJson(manifest).getBytes(StandardCharsets.UTF_8), "application/json");
        publisher.publish(runId, manifest.event());
        checkpoints = c.index() + 1;
        lastTestAccuracy = test;
        lastTestSamples = c.testSamples();
        lastStep = c.step();
    }

    @Override
    public void onRecovery(int faultStep, int resumedFrom, String reason) {
        LOG.warnf("run %s: %s at step %d; the step was not applied, replaying from the checkpoint at step %d",
                runId, reason, faultStep, resumedFrom);
    }

    @Override
    public void onNoise(NoiseSample s) {
        ArtifactRef noise = store.put(TrainerArtifacts.noise(runId, s.step()), s.noise().encode(),
                NoiseMatrix.MEDIA_TYPE);
        ArtifactRef update = s.update() == null ? null
                : store.put(TrainerArtifacts.update(runId, s.step()), s.update().encode(), NoiseMatrix.MEDIA_TYPE);
        publisher.publish(runId, new NoiseSampled(runId, s.step(), s.minibatches(), s.batchSize(), s.parameters(),
                s.projectedDim(), s.projectionSeed(), noise, update));
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

    Double lastTestAccuracy() {
        return lastTestAccuracy;
    }

    /** How many test images {@link #lastTestAccuracy()} was measured on. */
    int lastTestSamples() {
        return lastTestSamples;
    }

    /** The step of the last checkpoint this listener wrote, -1 before its first. */
    int lastStep() {
        return lastStep;
    }
}
