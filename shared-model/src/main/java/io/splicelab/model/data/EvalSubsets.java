package io.splicelab.model.data;

import io.splicelab.model.values.EvalSubset;
import java.util.Arrays;
import java.util.List;

/**
 * The indices into a split of an evaluation subset ({@link EvalSubset}, docs/science.md section 2): the seeded
 * class-stratified sample ({@link ProbeSets#stratified}, unchanged), the first images of the split, or the indices a
 * user listed, checked against the split actually read (a dataset's files may hold fewer images than its official
 * split). Every service that asks with the same arguments gets the same images in the same order.
 */
public final class EvalSubsets {
    private EvalSubsets() {
    }

    /**
     * The indices of a subset into a split.
     *
     * @param labels the split's labels (its size is their number)
     * @param size evalSize: the size of a stratified or first subset
     * @param seed the seed of a stratified subset
     * @param listed the indices of an {@code indices} subset
     * @throws IllegalArgumentException when listed indices are missing, outside the split or repeated
     */
    public static int[] select(EvalSubset subset, int[] labels, int numClasses, int size, long seed,
            List<Integer> listed) {
        return switch (subset) {
            case STRATIFIED -> ProbeSets.stratified(labels, numClasses, size, seed);
            case FIRST -> first(labels.length, size);
            case INDICES -> listed(listed, labels.length);
        };
    }

    /** The first {@code size} indices of a split of {@code splitSize} (all of them when it is smaller). */
    public static int[] first(int splitSize, int size) {
        int[] out = new int[Math.max(0, Math.min(splitSize, size))];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /**
     * Listed indices, in their order, checked against the split.
     *
     * @throws IllegalArgumentException naming the first index that is missing, outside the split or repeated
     */
    public static int[] listed(List<Integer> indices, int splitSize) {
        if (indices == null || indices.isEmpty()) {
            throw new IllegalArgumentException("evalSubset indices needs evalIndices");
        }
        int[] out = new int[indices.size()];
        boolean[] seen = new boolean[splitSize];
        for (int k = 0; k < out.length; k++) {
            Integer i = indices.get(k);
            if (i == null || i < 0 || i >= splitSize) {
                throw new IllegalArgumentException("evalIndices[" + k + "] = " + i + " is not an image of the split "
                        + "(0 to " + (splitSize - 1) + ")");
            }
            if (seen[i]) {
                throw new IllegalArgumentException("evalIndices[" + k + "] = " + i + " is listed twice");
            }
            seen[i] = true;
            out[k] = i;
        }
        return out;
    }
}
