package io.splicelab.model.data;

import java.util.SplittableRandom;

/**
 * Label noise of docs/science.md section 6: exactly round(p n) training examples, chosen with the seed, get a
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
        SplittableRandom rnd = new SplittableRandom(SeededStreams.mix(seed, STREAM));
        int n = labels.length;
        int k = (int) Math.round(fraction * n);
        int[] order = SeededStreams.permutation(n, rnd);
        for (int i = 0; i < k; i++) {
            out[order[i]] = rnd.nextInt(numClasses);
        }
        return out;
    }
}
