package io.splicelab.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.splicelab.model.data.ImageDataset;

/**
 * Plain, batched inference. Each batch runs in its own sub-manager so intermediate arrays are freed
 * batch by batch (DJL keeps every array until its manager closes). Networks run in their inference form
 * ({@link BatchNormFolding}), as in the splicer's grid, so that a plain evaluation of a checkpoint or a hybrid
 * predicts exactly what the grid's cell of it says; a network folded by the caller is used as it is.
 */
public final class Inference {
    private Inference() {
    }

    /** Logits of the whole network on every example of the dataset, as [n][classes]. */
    public static float[][] logits(CutNetwork net, ImageDataset data, int batchSize, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            CutNetwork folded = BatchNormFolding.fold(net, scope);
            return batched(data, batchSize, scope, (ps, x) -> folded.logits(ps, new NDList(x)));
        }
    }

    /** Logits of the hybrid deep_cut(deepNet) o shallow_cut(shallowNet), computed in one plain pass. */
    public static float[][] hybridLogits(CutNetwork shallowNet, CutNetwork deepNet, String cut, ImageDataset data,
            int batchSize, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            CutNetwork shallow = BatchNormFolding.fold(shallowNet, scope);
            CutNetwork deep = shallowNet == deepNet ? shallow : BatchNormFolding.fold(deepNet, scope);
            return batched(data, batchSize, scope, (ps, x) -> deep.deep(ps, shallow.shallow(ps, new NDList(x), cut), cut));
        }
    }

    /** A forward pass from a batch of images to its logits. */
    @FunctionalInterface
    private interface Forward {
        NDList apply(ParameterStore ps, NDArray images);
    }

    /** Runs {@code forward} batch by batch, each in its own sub-manager, and gathers the rows in order. */
    private static float[][] batched(ImageDataset data, int batchSize, NDManager manager, Forward forward) {
        float[][] out = new float[data.size()][];
        ParameterStore ps = new ParameterStore(manager, false);
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(data.size(), from + batchSize);
            try (NDManager batch = manager.newSubManager()) {
                float[][] rows = toRows(forward.apply(ps, data.images(batch, from, to)).singletonOrThrow());
                System.arraycopy(rows, 0, out, from, rows.length);
            }
        }
        return out;
    }

    /** A 2-D array as Java rows. */
    public static float[][] toRows(NDArray matrix) {
        long[] shape = matrix.getShape().getShape();
        int rows = (int) shape[0];
        int cols = (int) (matrix.size() / Math.max(1, rows));
        float[] flat = matrix.toFloatArray();
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /** Index of the largest value of each row. */
    public static int[] argmax(float[][] logits) {
        int[] out = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int j = 1; j < logits[i].length; j++) {
                if (logits[i][j] > logits[i][best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
