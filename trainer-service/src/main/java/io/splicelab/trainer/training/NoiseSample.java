package io.splicelab.trainer.training;

import io.splicelab.model.features.NoiseMatrix;

/**
 * SGD noise sampled at a checkpoint (docs/science.md section 4): the m x p matrix of minibatch gradient
 * deviations and the parameter update since the previous checkpoint (null at the first one), both
 * projected when a projection was configured.
 */
public record NoiseSample(int step, int minibatches, int batchSize, long parameters, Integer projectedDim,
        Long projectionSeed, NoiseMatrix noise, NoiseMatrix update) {
}
