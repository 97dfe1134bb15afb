package io.splicelab.trainer.training;

/**
 * What the training loop reports while it trains. The loop knows nothing of Kafka or the artifact
 * store; the adapter behind this interface publishes and stores.
 */
public interface TrainingListener {
    /** Running training loss and accuracy (means since the last report), learning rate and throughput. */
    void onProgress(int step, int totalSteps, double loss, double accuracy, double learningRate,
            double imagesPerSecond);

    /** A checkpoint; at a noise step it comes after {@link #onNoise}. */
    void onCheckpoint(CheckpointState checkpoint);

    /** SGD noise sampled at a checkpoint step. */
    default void onNoise(NoiseSample sample) {
    }

    /**
     * A step gave a non-finite loss or gradient and was not applied; training rolled back to the checkpoint
     * at {@code resumedFrom} and replays from there.
     */
    default void onRecovery(int faultStep, int resumedFrom, String reason) {
    }

    /** Whether the run should stop now (cancelled or shutting down). */
    default boolean cancelled() {
        return false;
    }
}
