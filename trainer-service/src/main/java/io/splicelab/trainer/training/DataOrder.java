package io.splicelab.trainer.training;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which examples each step trains on: a seeded permutation per epoch, cut into batches (the last
 * partial batch dropped). Every step's batch is a function of (seed, step) alone, so a run resumed at
 * any step sees the same data as an uninterrupted one.
 */
public final class DataOrder {
    private final int size;
    private final int batchSize;
    private final long seed;
    private int cachedEpoch = -1;
    private int[] permutation;

    public DataOrder(int size, int batchSize, long seed) {
        this.size = size;
        this.batchSize = Math.min(batchSize, size);
        this.seed = seed;
    }

    public int stepsPerEpoch() {
        return Math.max(1, size / batchSize);
    }

    /** The example indices of a step (1-based). */
    public int[] batch(int step) {
        int epoch = (step - 1) / stepsPerEpoch();
        int position = (step - 1) % stepsPerEpoch();
        if (epoch != cachedEpoch) {
            permutation = permutation(size, new SplittableRandom(Seeds.mix(seed, 0x0D0E_0000L + epoch)));
            cachedEpoch = epoch;
        }
        return Arrays.copyOfRange(permutation, position * batchSize, (position + 1) * batchSize);
    }

    static int[] permutation(int n, SplittableRandom rnd) {
        return io.splicelab.model.data.SeededStreams.permutation(n, rnd);
    }
}
