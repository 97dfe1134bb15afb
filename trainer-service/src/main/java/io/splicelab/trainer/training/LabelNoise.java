package io.splicelab.trainer.training;

import java.util.SplittableRandom;

/**
 * Label noise of SCIENCE.md section 6: exactly round(p n) training examples, chosen with the seed, get a
 * uniform random label (which may equal the true one); p = 1 gives random labels.
 */
public final class LabelNoise {
    private LabelNoise() {
    }

    public static int[] apply(int[] labels, int numClasses, double fraction, long seed) {
        int[] out = labels.clone();
        if (fraction <= 0) {
            return out;
        }
        SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, 0x1ABE1L));
        int n = labels.length;
        int k = (int) Math.round(fraction * n);
        int[] order = DataOrder.permutation(n, rnd);
        for (int i = 0; i < k; i++) {
            out[order[i]] = rnd.nextInt(numClasses);
        }
        return out;
    }
}
