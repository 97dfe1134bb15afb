package io.splicelab.trainer.training;

import java.util.SplittableRandom;

/**
 * A seeded Gaussian random projection to r dimensions, y = R x / sqrt(r), applied to several vectors
 * with the same R. R is never stored: its entries are drawn from {@code new SplittableRandom(seed)} with
 * {@code nextGaussian()}, column chunk by column chunk of {@value #CHUNK} columns, row-major inside a
 * chunk, so anyone can regenerate it from the seed.
 */
public final class RandomProjection {
    public static final int CHUNK = 4096;

    private RandomProjection() {
    }

    /** Projects each row of {@code vectors} (all of length p) to r dimensions. */
    public static float[][] project(float[][] vectors, int r, long seed) {
        int p = vectors[0].length;
        double[][] out = new double[vectors.length][r];
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] chunk = new float[r * CHUNK];
        for (int from = 0; from < p; from += CHUNK) {
            int width = Math.min(CHUNK, p - from);
            for (int i = 0; i < r * width; i++) {
                chunk[i] = (float) rnd.nextGaussian();
            }
            for (int v = 0; v < vectors.length; v++) {
                float[] x = vectors[v];
                double[] y = out[v];
                for (int j = 0; j < r; j++) {
                    int base = j * width;
                    double sum = 0;
                    for (int k = 0; k < width; k++) {
                        sum += chunk[base + k] * x[from + k];
                    }
                    y[j] += sum;
                }
            }
        }
        float[][] result = new float[vectors.length][r];
        double scale = 1 / Math.sqrt(r);
        for (int v = 0; v < vectors.length; v++) {
            for (int j = 0; j < r; j++) {
                result[v][j] = (float) (out[v][j] * scale);
            }
        }
        return result;
    }
}
