package io.splicelab.stats.analysis;

import java.util.Arrays;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.util.MathArrays;

/**
 * Squared maximum mean discrepancy between two samples (train vs test probe clouds, docs/science.md section
 * 3): unbiased U-statistic with a Gaussian kernel {@code exp(-d^2 / (2 sigma^2))}, sigma by the median
 * heuristic (median of the pooled pairwise Euclidean distances, numpy's median), and a seeded permutation
 * p-value that keeps sigma fixed (the pooled sample does not change under relabelling).
 */
public final class Mmd {
    private final double[][] pooled;
    private final int m;
    private final int n;
    private final double sigma;
    private final double[][] kernel;

    /** Prepares the pooled kernel matrix of X (m x d) and Y (n x d). */
    public Mmd(double[][] x, double[][] y) {
        if (x.length < 2 || y.length < 2) {
            throw new IllegalArgumentException("MMD needs at least 2 samples on each side");
        }
        this.m = x.length;
        this.n = y.length;
        this.pooled = new double[m + n][];
        System.arraycopy(x, 0, pooled, 0, m);
        System.arraycopy(y, 0, pooled, m, n);
        int d = Matrices.columns(pooled);
        if (d < 1) {
            throw new IllegalArgumentException("samples have no dimensions");
        }
        int total = m + n;
        double[][] sq = new double[total][total];
        double[] distances = new double[total * (total - 1) / 2];
        int k = 0;
        for (int i = 0; i < total; i++) {
            for (int j = i + 1; j < total; j++) {
                sq[i][j] = Matrices.squaredDistance(pooled[i], pooled[j]);
                sq[j][i] = sq[i][j];
                distances[k++] = Math.sqrt(sq[i][j]);
            }
        }
        this.sigma = median(distances);
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("median pairwise distance is 0: samples are (mostly) identical");
        }
        double twoSigma2 = 2 * sigma * sigma;
        this.kernel = new double[total][total];
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < total; j++) {
                kernel[i][j] = Math.exp(-sq[i][j] / twoSigma2);
            }
        }
    }

    /** numpy.median: the middle value, or the mean of the two middle values for an even count. */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int len = s.length;
        return len % 2 == 1 ? s[len / 2] : (s[len / 2 - 1] + s[len / 2]) / 2;
    }

    /** The kernel bandwidth sigma (median heuristic). */
    public double bandwidth() {
        return sigma;
    }

    /** Number of pooled pairs the median was taken over. */
    public int pairCount() {
        int t = m + n;
        return t * (t - 1) / 2;
    }

    /** The unbiased MMD^2 of the observed split (may be negative). */
    public double unbiased() {
        int[] identity = new int[m + n];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        return unbiased(identity);
    }

    /**
     * The unbiased MMD^2 of a relabelling: X' = pooled[perm[0..m-1]], Y' = pooled[perm[m..m+n-1]].
     */
    public double unbiased(int[] perm) {
        if (perm.length != m + n) {
            throw new IllegalArgumentException("permutation of " + perm.length + " indices, expected " + (m + n));
        }
        double xx = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                if (a != b) {
                    xx += kernel[perm[a]][perm[b]];
                }
            }
        }
        double yy = 0;
        for (int a = m; a < m + n; a++) {
            for (int b = m; b < m + n; b++) {
                if (a != b) {
                    yy += kernel[perm[a]][perm[b]];
                }
            }
        }
        double xy = 0;
        for (int a = 0; a < m; a++) {
            for (int b = m; b < m + n; b++) {
                xy += kernel[perm[a]][perm[b]];
            }
        }
        return xx / ((double) m * (m - 1)) + yy / ((double) n * (n - 1)) - 2 * xy / ((double) m * n);
    }

    /** The biased V-statistic (diagonal included); only to diagnose a mix-up with other tools. */
    public double biased() {
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int a = 0; a < m + n; a++) {
            for (int b = 0; b < m + n; b++) {
                boolean ax = a < m;
                boolean bx = b < m;
                if (ax && bx) {
                    xx += kernel[a][b];
                } else if (!ax && !bx) {
                    yy += kernel[a][b];
                } else if (ax) {
                    xy += kernel[a][b];
                }
            }
        }
        return xx / ((double) m * m) + yy / ((double) n * n) - 2 * xy / ((double) m * n);
    }

    /** The observed statistic and its permutation p-value. */
    public record Test(double mmd2, double bandwidth, int permutations, long seed, double pValue) {
    }

    /**
     * Permutation test: {@code p = (1 + #{perm stat >= observed}) / (1 + permutations)}, relabellings drawn
     * with a {@link Well19937c} seeded with {@code seed}, so the p-value is reproducible.
     */
    public Test permutationTest(int permutations, long seed) {
        if (permutations < 1) {
            throw new IllegalArgumentException("at least one permutation");
        }
        double observed = unbiased();
        RandomGenerator rng = new Well19937c(seed);
        int[] perm = new int[m + n];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int atLeast = 0;
        for (int b = 0; b < permutations; b++) {
            MathArrays.shuffle(perm, rng);
            if (unbiased(perm) >= observed) {
                atLeast++;
            }
        }
        return new Test(observed, sigma, permutations, seed, (1.0 + atLeast) / (1.0 + permutations));
    }
}
