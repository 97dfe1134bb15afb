package io.splicelab.trainer.training;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.features.NoiseMatrix;
import io.splicelab.model.events.RunConfig;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Samples SGD noise at a checkpoint exactly as docs/science.md section 4 says: m minibatch gradients g_i of
 * the live model (minibatches of the training batch size drawn with the seed, training augmentation on,
 * the training labels including label noise), noise xi_i = g_i - mean_j g_j, as an m x p matrix; plus
 * the parameter update since the previous checkpoint as 1 x p; both optionally projected with one seeded
 * Gaussian projection ({@link RandomProjection}). Rows are stored in shared-model's
 * {@code features.NoiseMatrix} format; columns are the trainable parameters flattened in the order of
 * {@link ModelParameters#trainable()} (DJL's {@code getParameters()} order without BatchNorm running
 * statistics, each tensor row-major), or the projected coordinates, whose seed the NoiseSampled event
 * carries. The caller restores the checkpoint afterwards (BatchNorm ran in training mode).
 *
 * <p>A minibatch gradient that is not finite (the CPU fault of docs/science.md section 8) is never kept: the
 * sampler reloads the checkpoint, which drops the poisoned gradients, tells the caller (which turns the heap
 * fill on) and computes the same minibatch again from the same seed, up to {@link #TRIES} times.
 */
final class NoiseSampler {
    private final TrainingLoop.Step step;
    private final ModelParameters params;
    private final RunConfig config;

    private final IntPredicate injectedFault;
    private int computed;

    /** @param injectedFault for tests: makes the n-th gradient this sampler computes (1, 2, ...) NaN when it accepts n */
    NoiseSampler(TrainingLoop.Step step, ModelParameters params, RunConfig config,
            IntPredicate injectedFault) {
        this.step = step;
        this.params = params;
        this.config = config;
        this.injectedFault = injectedFault;
    }

    /** Computations of one minibatch gradient before a non-finite one is read as divergence. */
    static final int TRIES = 3;

    /**
     * @param checkpoint the checkpoint's bytes, reloaded after a non-finite gradient
     * @param onFault called before each recomputation
     */
    NoiseSample sample(NDManager manager, int at, float[] current, float[] previous, byte[] checkpoint,
            Runnable onFault) {
        int m = config.noiseMinibatches();
        int n = step.train().size();
        int b = Math.min(config.batchSize(), n);
        boolean frozen = config.freezeCut() != null && at > config.freezeStep();
        SplittableRandom rnd = new SplittableRandom(Seeds.mix(config.seed(), 0x4E_0000_0000L + at));
        float[][] rows = new float[m][];
        for (int i = 0; i < m; i++) { // gradients are zero here: the loop zeroes them after every step
            int[] idx = java.util.Arrays.copyOf(DataOrder.permutation(n, rnd), b);
            long augmentationSeed = rnd.nextLong();
            for (int attempt = 1; rows[i] == null; attempt++) {
                try (NDManager batch = manager.newSubManager()) {
                    step.forwardBackward(batch, idx, new SplittableRandom(augmentationSeed), frozen);
                }
                float[] g = params.flatGradients();
                if (injectedFault.test(++computed)) {
                    g[0] = Float.NaN;
                }
                if (allFinite(g)) {
                    rows[i] = g;
                    params.zeroGradients();
                } else if (attempt == TRIES) {
                    throw new TrainingDivergedException("a noise-sampling gradient at step " + at + " (minibatch "
                            + (i + 1) + " of " + m + ") was not finite in " + TRIES + " computations");
                } else {
                    onFault.run();
                    params.load(checkpoint); // fresh tensors: the non-finite gradients go with the old ones
                }
            }
        }
        int p = rows[0].length;
        double[] mean = new double[p];
        for (float[] row : rows) {
            for (int k = 0; k < p; k++) {
                mean[k] += row[k];
            }
        }
        for (float[] row : rows) {
            for (int k = 0; k < p; k++) {
                row[k] = (float) (row[k] - mean[k] / m);
            }
        }
        float[] update = null;
        if (previous != null) {
            update = new float[p];
            for (int k = 0; k < p; k++) {
                update[k] = current[k] - previous[k];
            }
        }
        Integer r = config.noiseProjectionDim();
        Long projectionSeed = null;
        int cols = p;
        if (r != null) {
            projectionSeed = Seeds.mix(config.seed(), 0x50_0000_0000L + at);
            float[][] all = update == null ? rows : append(rows, update);
            float[][] projected = RandomProjection.project(all, r, projectionSeed);
            System.arraycopy(projected, 0, rows, 0, m);
            update = update == null ? null : projected[m];
            cols = r;
        }
        float[] flat = new float[m * cols];
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        NoiseMatrix noise = new NoiseMatrix(m, cols, flat);
        NoiseMatrix updateMatrix = update == null ? null : new NoiseMatrix(1, cols, update);
        return new NoiseSample(at, m, b, p, r, projectionSeed, noise, updateMatrix);
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static float[][] append(float[][] rows, float[] extra) {
        float[][] out = java.util.Arrays.copyOf(rows, rows.length + 1);
        out[rows.length] = extra;
        return out;
    }
}
