package io.splicelab.trainer.training;

/**
 * Label noise of docs/science.md section 6: exactly round(p n) training examples, chosen with the seed, get a
 * uniform random label (which may equal the true one); p = 1 gives random labels. The function lives in
 * shared-model ({@link io.splicelab.model.data.LabelNoise}) so that the splicer evaluates against the
 * very labels the trainer trained on.
 */
public final class LabelNoise {
    private LabelNoise() {
    }

    public static int[] apply(int[] labels, int numClasses, double fraction, long seed) {
        return io.splicelab.model.data.LabelNoise.apply(labels, numClasses, fraction, seed);
    }
}
