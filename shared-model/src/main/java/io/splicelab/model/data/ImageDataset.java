package io.splicelab.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.splicelab.model.net.ChannelsLast;
import java.util.Arrays;

/**
 * Images in memory as one float array in NCHW order, already normalised, with integer labels. Small
 * enough for the datasets of the paper (CIFAR, MNIST-like, SVHN) and simple to slice into batches.
 *
 * <p>Each image also knows where it comes from: {@code splitIndices[i]} is the row of image i in the split
 * its images were read from (the dataset's training or test files; the synthetic split), so that a result per
 * image (a hybrid's prediction) can be matched with another engine's on the same image, whatever seeded subset,
 * corruption or relabelling made this set. {@link #subset} composes them; a split read from its files is its own
 * identity.
 *
 * @param splitIndices per image, its row in the split it was read from (null: the identity, this is the split)
 */
public record ImageDataset(String name, int channels, int height, int width, int numClasses, float[] pixels,
        int[] labels, int[] splitIndices) {

    public ImageDataset {
        if (pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("pixels do not match " + labels.length + " images of " + channels + "x"
                    + height + "x" + width);
        }
        if (splitIndices == null) {
            splitIndices = identity(labels.length);
        } else if (splitIndices.length != labels.length) {
            throw new IllegalArgumentException(splitIndices.length + " split indices for " + labels.length
                    + " images");
        }
    }

    /** A whole split, as read from its files: image i is row i of the split. */
    public ImageDataset(String name, int channels, int height, int width, int numClasses, float[] pixels,
            int[] labels) {
        this(name, channels, height, width, numClasses, pixels, labels, null);
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    public int size() {
        return labels.length;
    }

    public int imageSize() {
        return channels * height * width;
    }

    /** Images [from, to) as an NCHW-shaped, channels-last array owned by the manager ({@link ChannelsLast}). */
    public NDArray images(NDManager manager, int from, int to) {
        float[] slice = Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize());
        return ChannelsLast.images(manager, slice, to - from, channels, height, width);
    }

    /** The images at the given indices, in that order, as an NCHW-shaped, channels-last array owned by the manager. */
    public NDArray images(NDManager manager, int[] indices) {
        int size = imageSize();
        float[] batch = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, batch, i * size, size);
        }
        return ChannelsLast.images(manager, batch, indices.length, channels, height, width);
    }

    /** Labels [from, to). */
    public int[] labels(int from, int to) {
        return Arrays.copyOfRange(labels, from, to);
    }

    /** The examples at the given indices, in that order (their split indices follow them). */
    public ImageDataset subset(String subsetName, int[] indices) {
        int size = imageSize();
        float[] p = new float[indices.length * size];
        int[] l = new int[indices.length];
        int[] s = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, p, i * size, size);
            l[i] = labels[indices[i]];
            s[i] = splitIndices[indices[i]];
        }
        return new ImageDataset(subsetName, channels, height, width, numClasses, p, l, s);
    }

    /** The same images and split indices under another name with other labels (e.g. the noisy labels a run fitted). */
    public ImageDataset relabelled(String newName, int[] newLabels) {
        if (newLabels.length != labels.length) {
            throw new IllegalArgumentException(newLabels.length + " labels for " + labels.length + " images");
        }
        return new ImageDataset(newName, channels, height, width, numClasses, pixels, newLabels, splitIndices);
    }
}
