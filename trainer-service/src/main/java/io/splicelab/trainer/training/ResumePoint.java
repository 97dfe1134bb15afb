package io.splicelab.trainer.training;

/**
 * Where a run resumes: the last complete checkpoint's step, parameters and optimizer state, and the
 * index the next checkpoint gets. Everything else (data order, augmentation, learning rate) is a
 * function of the seed and the step, so this is enough to continue exactly.
 */
public record ResumePoint(int step, int nextIndex, byte[] parameters, byte[] optimizerState) {
}
