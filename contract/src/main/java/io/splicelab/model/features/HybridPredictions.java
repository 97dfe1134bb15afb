package io.splicelab.model.features;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one hybrid cell predicted for every image of its evaluation set, so that two engines (PyTorch and splicelab,
 * say) can be compared image by image rather than by one accuracy. Row i is the i-th image of the evaluation set, in
 * evaluation order:
 * <ul>
 * <li>{@code splitIndex}: the image's row in the dataset split it was read from (the training or test files; the
 * synthetic split), whatever seeded subset, corruption or relabelling made the evaluation set;
 * <li>{@code label}: the label the cell was scored against (for {@code train-noisy}, the noisy label);
 * <li>{@code predicted}: the hybrid's predicted class, the first index of the largest logit (the class its accuracy
 * counts);
 * <li>{@code logitMargin}: the top-1 logit minus the top-2 logit, in float32, of the hybrid's logits: 0 for a tie,
 * larger for a more confident prediction; not finite when the logits are not (a diverged network).
 * </ul>
 * The artifact ({@link #encode}) is a NumPy {@code .npz} of four arrays of n entries with those names (int32, int32,
 * int32, float32), stored without compression and with a fixed timestamp, so the same predictions always give the
 * same bytes; {@code numpy.load} reads it as it is.
 */
public record HybridPredictions(int[] splitIndex, int[] label, int[] predicted, float[] logitMargin) {
    public static final String MEDIA_TYPE = Npy.NPZ_MEDIA_TYPE;
    public static final String SPLIT_INDEX = "splitIndex";
    public static final String LABEL = "label";
    public static final String PREDICTED = "predicted";
    public static final String LOGIT_MARGIN = "logitMargin";

    /** Checks that the four arrays are there and equally long. */
    public HybridPredictions {
        if (splitIndex == null || label == null || predicted == null || logitMargin == null) {
            throw new IllegalArgumentException("predictions need split indices, labels, predicted classes and margins");
        }
        int n = label.length;
        if (splitIndex.length != n || predicted.length != n || logitMargin.length != n) {
            throw new IllegalArgumentException("predictions of different lengths: " + splitIndex.length + " split "
                    + "indices, " + n + " labels, " + predicted.length + " predicted classes, " + logitMargin.length
                    + " margins");
        }
    }

    /**
     * The predictions of a hybrid from its logits, in one pass: the predicted class is the first index of the
     * largest logit (as the accuracy counts it), the margin that logit minus the largest of the others.
     *
     * @param logits n rows of at least two classes
     * @param labels the n labels the cell is scored against
     * @param splitIndex the n images' rows in their split
     */
    public static HybridPredictions of(float[][] logits, int[] labels, int[] splitIndex) {
        int n = logits.length;
        int[] predicted = new int[n];
        float[] margin = new float[n];
        for (int i = 0; i < n; i++) {
            float[] row = logits[i];
            if (row.length < 2) {
                throw new IllegalArgumentException("a margin needs at least two classes, row " + i + " has "
                        + row.length);
            }
            int best = 0;
            for (int c = 1; c < row.length; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            float second = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < row.length; c++) {
                if (c != best) {
                    second = Math.max(second, row[c]); // a NaN logit propagates: the margin is NaN
                }
            }
            predicted[i] = best;
            margin[i] = row[best] - second;
        }
        return new HybridPredictions(splitIndex, labels, predicted, margin);
    }

    /** Number of images. */
    public int size() {
        return label.length;
    }

    /** The fraction of images whose predicted class is their label: the cell's accuracy. */
    public double accuracy() {
        if (size() == 0) {
            throw new IllegalStateException("no predictions");
        }
        int same = 0;
        for (int i = 0; i < size(); i++) {
            same += predicted[i] == label[i] ? 1 : 0;
        }
        return (double) same / size();
    }

    /** The predictions as an {@code .npz} archive (the same predictions, the same bytes). */
    public byte[] encode() {
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put(SPLIT_INDEX, Npy.ints(splitIndex, size()));
        arrays.put(LABEL, Npy.ints(label, size()));
        arrays.put(PREDICTED, Npy.ints(predicted, size()));
        arrays.put(LOGIT_MARGIN, Npy.floats(logitMargin, size()));
        return Npy.npz(arrays);
    }

    /**
     * Reads an archive written by {@link #encode}.
     *
     * @throws IllegalArgumentException saying what is wrong with a malformed archive
     */
    public static HybridPredictions decode(byte[] npz) {
        Map<String, Npy.Array> arrays = Npy.readNpz(npz, 2L * npz.length + (1 << 16));
        return new HybridPredictions(array(arrays, SPLIT_INDEX).ints(), array(arrays, LABEL).ints(),
                array(arrays, PREDICTED).ints(), array(arrays, LOGIT_MARGIN).floats());
    }

    private static Npy.Array array(Map<String, Npy.Array> arrays, String name) {
        Npy.Array a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("predictions without a " + name + " array; arrays " + arrays.keySet());
        }
        if (a.shape().length != 1) {
            throw new IllegalArgumentException("predictions' " + name + " has shape " + Arrays.toString(a.shape())
                    + ", expected one dimension");
        }
        return a;
    }

    /** Equal when every array holds the same values (a record compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof HybridPredictions p && Arrays.equals(splitIndex, p.splitIndex)
                && Arrays.equals(label, p.label) && Arrays.equals(predicted, p.predicted)
                && Arrays.equals(logitMargin, p.logitMargin);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(splitIndex) + Arrays.hashCode(label)) + Arrays.hashCode(predicted))
                + Arrays.hashCode(logitMargin);
    }

    @Override
    public String toString() {
        return "HybridPredictions[" + size() + " images]";
    }
}
