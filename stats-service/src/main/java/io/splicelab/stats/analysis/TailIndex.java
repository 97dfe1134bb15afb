package io.splicelab.stats.analysis;

/**
 * Heavy-tail index of gradient noise with the estimator of Mohammadi, Mohammadpour and Ogata (2014), as
 * used by Simsekli et al. (2019): for K = K1 * K2 samples of a symmetric alpha-stable law, with
 * {@code Y_i} the sums of K2 consecutive blocks of K1 samples,
 * {@code 1/alpha = (mean ln|Y_i| - mean ln|X_j|) / ln K1}. alpha = 2 is Gaussian, smaller is heavier.
 * Scalars use |x|; vectors (rows) use Euclidean norms, as in Simsekli et al.'s code; {@code ulp(1)} is
 * added inside the log as there.
 */
public final class TailIndex {
    private static final double EPS = Math.ulp(1.0);

    private TailIndex() {
    }

    /** The estimate and how the sample was blocked. */
    public record Result(double alpha, int k1, int k2, int used) {
    }

    /** Estimate from scalars with K1 = floor(sqrt(K)). */
    public static Result estimate(double[] x) {
        return estimate(x, (int) Math.floor(Math.sqrt(x.length)));
    }

    /** Estimate from scalars with the given block length K1 (the first K1 * floor(K/K1) samples are used). */
    public static Result estimate(double[] x, int k1) {
        double[][] rows = new double[x.length][1];
        for (int i = 0; i < x.length; i++) {
            rows[i][0] = x[i];
        }
        return estimateRows(rows, k1);
    }

    /** Estimate from vectors (rows), norms in the logs, with block length K1. */
    public static Result estimateRows(double[][] x, int k1) {
        int d = Matrices.columns(x);
        int k2 = blocks(x.length, k1);
        int used = k1 * k2;
        double logX = 0;
        for (int i = 0; i < used; i++) {
            logX += Math.log(norm(x[i]) + EPS);
        }
        logX /= used;
        double logY = 0;
        double[] sum = new double[d];
        for (int b = 0; b < k2; b++) {
            java.util.Arrays.fill(sum, 0);
            for (int i = b * k1; i < (b + 1) * k1; i++) {
                for (int j = 0; j < d; j++) {
                    sum[j] += x[i][j];
                }
            }
            logY += Math.log(norm(sum) + EPS);
        }
        logY /= k2;
        double inv = (logY - logX) / Math.log(k1);
        return new Result(1.0 / inv, k1, k2, used);
    }

    /**
     * The vector estimate from the uncentered Gram matrix {@code X X^T} of the rows: row norms are
     * {@code sqrt(G_ii)} and a block sum's squared norm is the sum of its block of G, so p-dimensional
     * noise never has to be touched again. Same result as {@link #estimateRows} up to rounding.
     */
    public static Result estimateFromGram(double[][] g, int k1) {
        int k2 = blocks(g.length, k1);
        int used = k1 * k2;
        double logX = 0;
        for (int i = 0; i < used; i++) {
            logX += Math.log(Math.sqrt(Math.max(0, g[i][i])) + EPS);
        }
        logX /= used;
        double logY = 0;
        for (int b = 0; b < k2; b++) {
            double s = 0;
            for (int i = b * k1; i < (b + 1) * k1; i++) {
                for (int k = b * k1; k < (b + 1) * k1; k++) {
                    s += g[i][k];
                }
            }
            logY += Math.log(Math.sqrt(Math.max(0, s)) + EPS);
        }
        logY /= k2;
        double inv = (logY - logX) / Math.log(k1);
        return new Result(1.0 / inv, k1, k2, used);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double a : v) {
            s += a * a;
        }
        return Math.sqrt(s);
    }

    /** K2: how many whole blocks of length {@code k1} the {@code n} samples hold (at least one). */
    private static int blocks(int n, int k1) {
        int k2 = n / Checks.atLeast(k1, 2, "block length K1");
        if (k2 < 1) {
            throw new IllegalArgumentException("need at least K1 = " + k1 + " samples");
        }
        return k2;
    }
}
