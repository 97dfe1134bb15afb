package io.splicelab.trainer.training;

import io.splicelab.model.data.ImageDataset;

/**
 * The data of a run: the training split, the seeded evaluation subset measured at every checkpoint,
 * and the whole test split measured at the last one.
 */
public record TrainingData(ImageDataset train, ImageDataset eval, ImageDataset test) {
}
