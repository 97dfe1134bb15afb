package io.splicelab.stats.analysis;

import java.util.Arrays;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Kolmogorov-Smirnov tests with scipy's definitions (statistic, location and sign as
 * {@code scipy.stats.ks_2samp} / {@code ks_1samp}), the null distributions from commons-math3. The
 * variants are kept apart on purpose: scipy's "exact" is {@code P(D >= d)}, commons-math3's default is
 * {@code P(D > d)}, scipy's "asymp" is the finite-n law at {@code round(mn/(m+n))}, not the limit law.
 */
public final class KolmogorovSmirnov {
    private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();
    private static final double KS_SUM_TOLERANCE = 1e-20;
    private static final int KS_SUM_TERMS = 100_000;

    private KolmogorovSmirnov() {
    }

    /** Two-sample result; p-values under the different conventions, {@code pValue} = scipy's default. */
    public record TwoSample(int m, int n, double statistic, long dTimesMn, double location, int sign,
            double pExactGe, double pExactGt, int nEffAsymp, double pAsymp, double pKolmogorovLimit, double pValue) {
    }

    /** One-sample result against a continuous distribution. */
    public record OneSample(int n, double statistic, double dPlus, double dMinus, double location, int sign,
            double pExact, double pAsymp) {
    }

    /** Two-sided two-sample test of x (m) against y (n). */
    public static TwoSample twoSample(double[] x, double[] y) {
        int m = x.length;
        int n = y.length;
        if (m == 0 || n == 0) {
            throw new IllegalArgumentException("both samples must be non-empty");
        }
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        double[] all = new double[m + n];
        System.arraycopy(a, 0, all, 0, m);
        System.arraycopy(b, 0, all, m, n);
        // as scipy: cdf differences at every pooled point, in the order [sorted x, sorted y]
        int argMax = 0;
        int argMin = 0;
        double maxDiff = Double.NEGATIVE_INFINITY;
        double minDiff = Double.POSITIVE_INFINITY;
        long best = 0;
        for (int i = 0; i < all.length; i++) {
            int ca = countAtMost(a, all[i]);
            int cb = countAtMost(b, all[i]);
            double diff = (double) ca / m - (double) cb / n;
            if (diff > maxDiff) {
                maxDiff = diff;
                argMax = i;
            }
            if (diff < minDiff) {
                minDiff = diff;
                argMin = i;
            }
            best = Math.max(best, Math.abs((long) ca * n - (long) cb * m));
        }
        double maxS = maxDiff;
        double minS = -minDiff;
        boolean plus = maxS >= minS;
        double d = Math.max(minS, maxS);
        double location = plus ? all[argMax] : all[argMin];
        double ge = KS.exactP(d, m, n, false);
        double gt = KS.exactP(d, m, n, true);
        // numpy.round rounds half to even (12.5 -> 12)
        int nEff = (int) Math.rint((double) m * n / (m + n));
        double asymp = 1 - KS.cdf(d, Math.max(nEff, 1), false);
        double limit = KS.approximateP(d, m, n);
        double auto = Math.max(m, n) <= 10_000 ? ge : asymp;
        return new TwoSample(m, n, d, best, location, plus ? 1 : -1, ge, gt, nEff, asymp, limit, auto);
    }

    /** Two-sided one-sample test of x against a continuous distribution. */
    public static OneSample oneSample(double[] x, RealDistribution distribution) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("the sample must be non-empty");
        }
        double[] s = x.clone();
        Arrays.sort(s);
        double dPlus = Double.NEGATIVE_INFINITY;
        double dMinus = Double.NEGATIVE_INFINITY;
        double locPlus = s[0];
        double locMinus = s[0];
        for (int i = 0; i < n; i++) {
            double f = distribution.cumulativeProbability(s[i]);
            double plus = (i + 1.0) / n - f;
            double minus = f - (double) i / n;
            if (plus > dPlus) {
                dPlus = plus;
                locPlus = s[i];
            }
            if (minus > dMinus) {
                dMinus = minus;
                locMinus = s[i];
            }
        }
        boolean plusWins = dPlus > dMinus;
        double d = plusWins ? dPlus : dMinus;
        double exact = 1 - KS.cdf(d, n, false);
        double asymp = 1 - KS.ksSum(d * Math.sqrt(n), KS_SUM_TOLERANCE, KS_SUM_TERMS);
        return new OneSample(n, d, dPlus, dMinus, plusWins ? locPlus : locMinus, plusWins ? 1 : -1, exact, asymp);
    }

    /** numpy.searchsorted(sorted, v, side='right'). */
    private static int countAtMost(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
