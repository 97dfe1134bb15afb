package io.splicelab.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Images in memory as one float array in NCHW order, already normalised, with integer labels. Small
 * enough for the datasets of the paper (CIFAR, MNIST-like, SVHN) and simple to slice into batches.
 */
public record ImageDataset(String name, int channels, int height, int width, int numClasses, float[] pixels,
        int[] labels) {

    public ImageDataset {
        if (pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("pixels do not match " + labels.length + " images of " + channels + "x"
                    + height + "x" + width);
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageSize() {
        return channels * height * width;
    }

    /** Images [from, to) as an NCHW array owned by the manager. */
    public NDArray images(NDManager manager, int from, int to) {
        float[] slice = Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize());
        return manager.create(slice, new Shape(to - from, channels, height, width));
    }

    /** The images at the given indices, in that order, as an NCHW array owned by the manager. */
    public NDArray images(NDManager manager, int[] indices) {
        int size = imageSize();
        float[] batch = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, batch, i * size, size);
        }
        return manager.create(batch, new Shape(indices.length, channels, height, width));
    }

    /** Labels [from, to). */
    public int[] labels(int from, int to) {
        return Arrays.copyOfRange(labels, from, to);
    }

    /** The examples at the given indices, in that order. */
    public ImageDataset subset(String subsetName, int[] indices) {
        int size = imageSize();
        float[] p = new float[indices.length * size];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, p, i * size, size);
            l[i] = labels[indices[i]];
        }
        return new ImageDataset(subsetName, channels, height, width, numClasses, p, l);
    }
}
