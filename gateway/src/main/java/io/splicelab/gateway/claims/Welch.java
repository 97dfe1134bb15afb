package io.splicelab.gateway.claims;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Welch's t-test of two variants over their seeds (unequal variances, commons-math3), one-sided "a is larger than
 * b", with the two-sided 95 % confidence interval of the difference. With so few seeds the interval says more than
 * the p-value: it is what tells "no effect" from "not enough seeds".
 *
 * @param diff mean(a) - mean(b)
 * @param se the standard error of the difference
 * @param df the Welch-Satterthwaite degrees of freedom
 * @param t the statistic
 * @param p the one-sided p-value of "mean(a) > mean(b)"
 * @param low the lower end of the 95 % interval of the difference
 * @param high the upper end
 */
public record Welch(int na, int nb, double diff, double se, double df, double t, double p, double low, double high) {

    /**
     * @param a at least two values
     * @param b at least two values
     * @throws IllegalArgumentException with fewer than two values on a side
     */
    public static Welch test(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("Welch's test needs at least two seeds per variant");
        }
        double ma = mean(a);
        double mb = mean(b);
        double va = variance(a, ma) / a.length;
        double vb = variance(b, mb) / b.length;
        double diff = ma - mb;
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            // no spread at all: the difference is what it is
            double p = diff > 0 ? 0 : 1;
            return new Welch(a.length, b.length, diff, 0, Double.NaN, diff == 0 ? 0 : Math.copySign(
                    Double.POSITIVE_INFINITY, diff), p, diff, diff);
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        double t = new TTest().t(a, b);
        double twoSided = new TTest().tTest(a, b);
        double p = t > 0 ? twoSided / 2 : 1 - twoSided / 2;
        double q = new TDistribution(df).inverseCumulativeProbability(0.975);
        return new Welch(a.length, b.length, diff, se, df, t, p, diff - q * se, diff + q * se);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }

    /** The one-sided 95 % t quantile for n values (n - 1 degrees of freedom), for the bound of a mean. */
    public static double quantile95(int n) {
        return new TDistribution(n - 1).inverseCumulativeProbability(0.95);
    }
}
