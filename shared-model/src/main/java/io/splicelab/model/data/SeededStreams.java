package io.splicelab.model.data;

import java.util.SplittableRandom;

/**
 * The seeded random streams every service derives from a run's one seed: a stream is a function of
 * (seed, stream number) only, so the trainer, a resumed trainer and the splicer recreate the same data
 * order, augmentation and label noise at any step without sharing state.
 */
public final class SeededStreams {
    private SeededStreams() {
    }

    /** A well-mixed seed for stream {@code stream} of the run seed (SplitMix64 finaliser). */
    public static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
