package io.splicelab.model.data;

import java.util.SplittableRandom;

/**
 * Label noise of SCIENCE.md section 6: exactly round(p n) training examples, chosen with the seed, get a
 * uniform random label (which may equal the true one); p = 1 gives random labels. The trainer trains on
 * {@code apply(train.labels(), ...)} of the run's training split, and the splicer evaluates the training
 * subset against the same labels, so both call this one function.
 */
public final class LabelNoise {
    /** The random stream of label noise among the streams derived from the run seed. */
    static final long STREAM = 0x1ABE1L;

    private LabelNoise() {
    }

    /** The noisy labels of a whole training split (a copy; the input is not changed). */
    public static int[] apply(int[] labels, int numClasses, double fraction, long seed) {
        int[] out = labels.clone();
        if (fraction <= 0) {
            return out;
        }
        SplittableRandom rnd = new SplittableRandom(mix(seed, STREAM));
        int n = labels.length;
        int k = (int) Math.round(fraction * n);
        int[] order = permutation(n, rnd);
        for (int i = 0; i < k; i++) {
            out[order[i]] = rnd.nextInt(numClasses);
        }
        return out;
    }

    /** A well-mixed seed for stream {@code stream} of the run seed (SplitMix64 finaliser). */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    static int[] permutation(int n, SplittableRandom rnd) {
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
