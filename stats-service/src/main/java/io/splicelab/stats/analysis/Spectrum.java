package io.splicelab.stats.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The eigenvalue spectrum of a sample covariance {@code S = Xc^T Xc / (N-1)} and the summaries docs/science.md
 * section 4 reports: top-k explained variance, participation ratio and entropy effective rank. When
 * {@code p > N} (gradient noise: p parameters, N minibatches) the nonzero eigenvalues come from the
 * N x N Gram matrix {@code Xc Xc^T / (N-1)} (the dual trick), so no p x p matrix is ever built; otherwise
 * from the smaller p x p matrix. Eigenvalues come from commons-math3.
 *
 * @param eigenvalues the nonzero eigenvalues, descending ({@code l > max(N,p) * eps * l_max})
 */
public record Spectrum(int n, int p, double[] eigenvalues) {
    /** The k of the top-k explained variance the reports use. */
    public static final int[] DEFAULT_KS = {1, 2, 5, 10};
    private static final double EPS = Math.ulp(1.0);

    /** The spectrum of the rows of {@code x} (N samples x p dimensions, not centered). */
    public static Spectrum of(double[][] x) {
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance spectrum needs at least 2 samples");
        }
        int p = Matrices.columns(x);
        double[][] xc = Matrices.centered(x);
        double[][] small = p > n ? Matrices.gram(xc, n - 1) : Matrices.scatter(xc, n - 1);
        double[] all = new EigenDecomposition(new Array2DRowRealMatrix(small, false)).getRealEigenvalues();
        return fromEigenvalues(n, p, all);
    }

    /** Keeps the numerically nonzero eigenvalues of a covariance, in descending order. */
    static Spectrum fromEigenvalues(int n, int p, double[] all) {
        double[] sorted = all.clone();
        Arrays.sort(sorted);
        double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        double threshold = Math.max(n, p) * EPS * max;
        return new Spectrum(n, p, Arrays.stream(sorted).filter(l -> l > threshold)
                .boxed().sorted((a, b) -> Double.compare(b, a)).mapToDouble(Double::doubleValue).toArray());
    }

    /** Number of nonzero eigenvalues. */
    public int rank() {
        return eigenvalues.length;
    }

    /** Sum of the eigenvalues = tr S. */
    public double total() {
        double s = 0;
        for (double l : eigenvalues) {
            s += l;
        }
        return s;
    }

    /** Fraction of the total variance in the k largest eigenvalues (1 when k >= rank). */
    public double topKExplained(int k) {
        if (k >= rank()) {
            return 1.0;
        }
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += eigenvalues[i];
        }
        return s / total();
    }

    /** Top-k explained variance for {@link #DEFAULT_KS}, keyed by k. */
    public Map<Integer, Double> topKExplained() {
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (int k : DEFAULT_KS) {
            m.put(k, topKExplained(k));
        }
        return m;
    }

    /** {@code (sum l)^2 / sum l^2}: how many directions carry the variance, 1 to rank. */
    public double participationRatio() {
        double s = 0;
        double s2 = 0;
        for (double l : eigenvalues) {
            s += l;
            s2 += l * l;
        }
        return s * s / s2;
    }

    /** {@code exp(-sum q ln q)} with {@code q = l / sum l}: the entropy effective rank. */
    public double effectiveRankEntropy() {
        double total = total();
        double h = 0;
        for (double l : eigenvalues) {
            double q = l / total;
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        return Math.exp(h);
    }
}
