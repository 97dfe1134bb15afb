package io.splicelab.stats.analysis;

import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Likelihood cross-validated KDE bandwidth (docs/science.md section 3, optional): the factor that maximises the
 * leave-one-out log likelihood {@code sum_i ln p_{-i}(x_i)}, with the kernel covariance
 * {@code factor^2 * Sigma} of the full sample. A log-spaced grid of factors finds the best bracket, then
 * commons-math3's Brent optimiser refines it in log(factor).
 */
public final class KdeBandwidthCv {
    private KdeBandwidthCv() {
    }

    /** The chosen factor, its score and the grid that was searched. */
    public record Result(double factor, double logLikelihood, double[] candidates, double[] logLikelihoods) {
    }

    /** The leave-one-out log likelihood of a factor. */
    public static double looLogLikelihood(double[][] data, double[] weights, double factor) {
        GaussianKde kde = new GaussianKde(data, weights, new Bandwidth.Factor(factor));
        double s = 0;
        for (int i = 0; i < kde.n(); i++) {
            s += kde.leaveOneOutLogpdf(i);
        }
        return s;
    }

    /** {@code count} factors log-spaced between lo and hi. */
    public static double[] logGrid(double lo, double hi, int count) {
        double[] g = new double[count];
        for (int i = 0; i < count; i++) {
            g[i] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (count - 1));
        }
        return g;
    }

    /** Searches 40 factors between 0.05 and 2 and refines the best. */
    public static Result select(double[][] data, double[] weights) {
        return select(data, weights, logGrid(0.05, 2.0, 40));
    }

    /** Searches the given increasing factors and refines the best between its neighbours. */
    public static Result select(double[][] data, double[] weights, double[] candidates) {
        if (candidates.length < 2) {
            throw new IllegalArgumentException("at least 2 candidate factors");
        }
        double[] ll = new double[candidates.length];
        int best = 0;
        for (int i = 0; i < candidates.length; i++) {
            ll[i] = looLogLikelihood(data, weights, candidates[i]);
            if (ll[i] > ll[best]) {
                best = i;
            }
        }
        double lo = Math.log(candidates[Math.max(0, best - 1)]);
        double hi = Math.log(candidates[Math.min(candidates.length - 1, best + 1)]);
        UnivariatePointValuePair refined = new BrentOptimizer(1e-10, 1e-12).optimize(new MaxEval(200),
                new UnivariateObjectiveFunction(t -> looLogLikelihood(data, weights, Math.exp(t))), GoalType.MAXIMIZE,
                new SearchInterval(lo, hi, Math.log(candidates[best])));
        double factor = candidates[best];
        double score = ll[best];
        if (refined.getValue() > score) {
            factor = Math.exp(refined.getPoint());
            score = refined.getValue();
        }
        return new Result(factor, score, candidates.clone(), ll);
    }
}
