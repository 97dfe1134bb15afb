package io.splicelab.trainer.training;

/**
 * What the loop hands over at a checkpoint: parameters with BatchNorm statistics, the optimizer state
 * (so the run can resume from here), and the metrics of the manifest.
 *
 * @param epoch fractional epochs done (step / steps per epoch)
 * @param trainLoss mean training loss since the previous checkpoint (NaN at step 0)
 * @param testAccuracy accuracy on the seeded evaluation subset, or on the whole test split at the last step
 * @param testSamples how many test examples {@code testAccuracy} was measured on
 */
public record CheckpointState(int step, int index, double epoch, byte[] parameters, byte[] optimizerState,
        double trainLoss, double trainAccuracy, double testAccuracy, int testSamples) {
}
