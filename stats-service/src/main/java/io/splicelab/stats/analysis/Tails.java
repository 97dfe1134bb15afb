package io.splicelab.stats.analysis;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Upper-tail probabilities computed directly (never as {@code 1 - cdf}, which returns 0 below ~1e-16),
 * and their logarithms, which stay finite where the p-value itself underflows to 0.
 */
public final class Tails {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private Tails() {
    }

    /** {@code P(Z > z)} for a standard normal Z (scipy {@code norm.sf}). */
    public static double normalSf(double z) {
        return STANDARD_NORMAL.cumulativeProbability(-z);
    }

    /**
     * {@code ln P(Z > z)} (scipy {@code norm.logsf}). Far in the tail, where the probability underflows,
     * the asymptotic (Mills ratio) series of {@code ln Phi(-z)} that scipy's {@code log_ndtr} also uses.
     */
    public static double normalLogSf(double z) {
        if (z < 20) {
            return Math.log(normalSf(z));
        }
        double z2 = z * z;
        // 1 - 1/z^2 + 3/z^4 - 15/z^6 + 105/z^8 - ...
        double term = 1;
        double sum = 0;
        for (int k = 1; k <= 12; k++) {
            term *= -(2 * k - 1) / z2;
            sum += term;
        }
        return -0.5 * z2 - Math.log(z) - HALF_LOG_2PI + Math.log1p(sum);
    }

    /** {@code P(X > x)} for a chi-square X with {@code df} degrees of freedom (scipy {@code chi2.sf}). */
    public static double chiSquaredSf(double x, double df) {
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2, x / 2);
    }

    /**
     * {@code ln P(X > x)} for a chi-square X; when the probability underflows, the leading term of the
     * continued fraction, {@code -x/2 + (df/2 - 1) ln(x/2) - ln Gamma(df/2)} (relative error O(df/x)).
     */
    public static double chiSquaredLogSf(double x, double df) {
        double q = chiSquaredSf(x, df);
        if (q > 0) {
            return Math.log(q);
        }
        double a = df / 2;
        double h = x / 2;
        return -h + (a - 1) * Math.log(h) - Gamma.logGamma(a) + Math.log1p((a - 1) / h);
    }
}
