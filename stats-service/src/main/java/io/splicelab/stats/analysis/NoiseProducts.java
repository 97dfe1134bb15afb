package io.splicelab.stats.analysis;

import java.util.List;

/**
 * Everything the noise analyses need from p-dimensional data, computed in one cache-friendly pass: the
 * uncentered Gram matrix {@code N N^T} of the m noise rows, the Gram {@code D D^T} of the T parameter
 * updates and the cross products {@code N D^T}. With p around 270,000 and m = 64 this pass is the only
 * O(m^2 p) work; every test afterwards costs O(m^3), which is what lets the whole anisotropy analysis
 * finish well before the next checkpoint's noise is sampled. Inputs are float32 as the artifacts store
 * them; sums are in double.
 *
 * @param m noise rows
 * @param p dimensions
 * @param gram m x m, {@code N N^T}
 * @param updatesGram T x T, {@code D D^T} (0 x 0 without updates)
 * @param cross m x T, {@code N D^T}
 */
public record NoiseProducts(int m, long p, double[][] gram, double[][] updatesGram, double[][] cross) {
    /** Columns per block: 64 rows x 1024 doubles = 512 KiB, resident in L2 while all pairs are summed. */
    private static final int BLOCK = 1024;

    /**
     * @param noise m x p, row-major
     * @param updates 1 x p update vectors (may be empty)
     * @throws IllegalArgumentException on a size mismatch or a non-finite value
     */
    public static NoiseProducts of(float[] noise, int m, long p, List<float[]> updates) {
        if (m < 1 || p < 1 || (long) m * p != noise.length) {
            throw new IllegalArgumentException("noise of " + noise.length + " values is not " + m + " x " + p);
        }
        int t = updates.size();
        for (float[] u : updates) {
            if (u.length != p) {
                throw new IllegalArgumentException("an update has " + u.length + " values, the noise " + p
                        + " columns");
            }
        }
        int cols = (int) p;
        double[][] g = new double[m][m];
        double[][] dd = new double[t][t];
        double[][] cross = new double[m][t];
        double[][] blockN = new double[m][BLOCK];
        double[][] blockD = new double[t][BLOCK];
        for (int start = 0; start < cols; start += BLOCK) {
            int len = Math.min(BLOCK, cols - start);
            for (int i = 0; i < m; i++) {
                copy(noise, (long) i * cols + start, blockN[i], len, "noise row " + i);
            }
            for (int s = 0; s < t; s++) {
                copy(updates.get(s), start, blockD[s], len, "update " + s);
            }
            for (int i = 0; i < m; i++) {
                for (int k = i; k < m; k++) {
                    g[i][k] += dot(blockN[i], blockN[k], len);
                }
                for (int s = 0; s < t; s++) {
                    cross[i][s] += dot(blockN[i], blockD[s], len);
                }
            }
            for (int s = 0; s < t; s++) {
                for (int r = s; r < t; r++) {
                    dd[s][r] += dot(blockD[s], blockD[r], len);
                }
            }
        }
        mirror(g);
        mirror(dd);
        return new NoiseProducts(m, p, g, dd, cross);
    }

    /** The same products from double rows (the ad-hoc API), via float-free code paths. */
    public static NoiseProducts of(double[][] noise, double[][] updates) {
        int p = Matrices.columns(noise);
        if (updates.length > 0 && Matrices.columns(updates) != p) {
            throw new IllegalArgumentException("noise has " + p + " columns, updates " + updates[0].length);
        }
        int m = noise.length;
        int t = updates.length;
        double[][] cross = new double[m][t];
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < t; s++) {
                cross[i][s] = dot(noise[i], updates[s], p);
            }
        }
        return new NoiseProducts(m, p, Matrices.gram(noise, 1.0), t == 0 ? new double[0][0]
                : Matrices.gram(updates, 1.0), cross);
    }

    /** Number of parameter updates. */
    public int updates() {
        return updatesGram.length;
    }

    /** The Gram matrix of the centered rows, {@code H G H} with {@code H = I - 11^T/m} (not divided). */
    public double[][] centeredGram() {
        double[] rowMean = new double[m];
        double all = 0;
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int k = 0; k < m; k++) {
                s += gram[i][k];
            }
            rowMean[i] = s / m;
            all += s;
        }
        all /= (double) m * m;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                c[i][k] = gram[i][k] - rowMean[i] - rowMean[k] + all;
            }
        }
        return c;
    }

    private static void copy(float[] src, long from, double[] dst, int len, String what) {
        int base = (int) from;
        for (int j = 0; j < len; j++) {
            float v = src[base + j];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(what + " has a non-finite value (flat index " + (from + j) + ")");
            }
            dst[j] = v;
        }
    }

    /** Dot product with four independent accumulators (the JIT cannot reorder a double sum itself). */
    private static double dot(double[] a, double[] b, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < len; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void mirror(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < i; k++) {
                a[i][k] = a[k][i];
            }
        }
    }
}
