package io.splicelab.stats.analysis;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Draws from the standard Wishart distribution {@code W_q(df, I)} by Bartlett's decomposition
 * {@code W = A A^T}, A lower triangular with {@code A_ii = sqrt(chi2(df - i))} (i from 0) and standard
 * normal entries below the diagonal: O(q^2) random numbers instead of a q x df Gaussian matrix, which is
 * what makes Monte Carlo nulls for p in the millions affordable.
 */
final class Wishart {
    private Wishart() {
    }

    /** One draw of {@code W_q(df, I)}, {@code df > q - 1}. */
    static double[][] sample(int q, double df, RandomGenerator rng) {
        if (df <= q - 1) {
            throw new IllegalArgumentException("Wishart needs df > q - 1, got df=" + df + ", q=" + q);
        }
        double[][] a = new double[q][q];
        for (int i = 0; i < q; i++) {
            a[i][i] = Math.sqrt(new ChiSquaredDistribution(rng, df - i).sample());
            for (int j = 0; j < i; j++) {
                a[i][j] = rng.nextGaussian();
            }
        }
        double[][] w = new double[q][q];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int l = 0; l <= j; l++) {
                    s += a[i][l] * a[j][l];
                }
                w[i][j] = s;
                w[j][i] = s;
            }
        }
        return w;
    }
}
