package io.splicelab.stats.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Monte Carlo null for the top-k explained variance of N samples in p dimensions under isotropy
 * (Gaussian, covariance sigma^2 I, same N, p and trace; docs/science.md section 4). The centered scatter is
 * {@code W_p(N-1, sigma^2 I)}; its nonzero eigenvalues are those of {@code W_q(max(p, N-1), I)} with
 * {@code q = min(p, N-1)}, drawn by Bartlett's decomposition, so p in the millions costs the same as p
 * = N. The explained-variance ratio does not depend on sigma, so the trace only fixes the scale.
 */
public final class IsotropicNull {
    private IsotropicNull() {
    }

    /**
     * @param observed the observed top-k explained variance
     * @param pValue {@code (1 + #{null >= observed}) / (1 + draws)}
     * @param effectSize {@code (observed - nullMean) / nullSd}
     */
    public record Result(int n, int p, int k, double observed, int draws, long seed, double nullMean, double nullSd,
            double pValue, double effectSize) {
    }

    /** Null distribution of the top-k explained variance, seeded. */
    public static double[] topKExplainedNull(int n, int p, int k, int draws, long seed) {
        if (n < 2 || p < 1 || k < 1 || draws < 1) {
            throw new IllegalArgumentException("need n >= 2, p >= 1, k >= 1, draws >= 1");
        }
        int dof = n - 1;
        int q = Math.min(p, dof);
        int df = Math.max(p, dof);
        RandomGenerator rng = new Well19937c(seed);
        double[] out = new double[draws];
        for (int b = 0; b < draws; b++) {
            double[] l = new EigenDecomposition(new Array2DRowRealMatrix(Wishart.sample(q, df, rng), false))
                    .getRealEigenvalues();
            out[b] = Spectrum.fromEigenvalues(n, p, l).topKExplained(k);
        }
        return out;
    }

    /** Compares an observed top-k explained variance with its isotropic null. */
    public static Result test(int n, int p, int k, double observed, int draws, long seed) {
        double[] nul = topKExplainedNull(n, p, k, draws, seed);
        SummaryStatistics stats = new SummaryStatistics();
        int atLeast = 0;
        for (double v : nul) {
            stats.addValue(v);
            if (v >= observed) {
                atLeast++;
            }
        }
        double sd = stats.getStandardDeviation();
        return new Result(n, p, k, observed, draws, seed, stats.getMean(), sd, (1.0 + atLeast) / (1.0 + draws),
                sd > 0 ? (observed - stats.getMean()) / sd : 0.0);
    }

    /** The test for the spectrum of a sample: observed = its top-k explained variance. */
    public static Result test(Spectrum spectrum, int k, int draws, long seed) {
        return test(spectrum.n(), spectrum.p(), k, spectrum.topKExplained(k), draws, seed);
    }
}
