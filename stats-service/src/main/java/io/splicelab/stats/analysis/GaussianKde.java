package io.splicelab.stats.analysis;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSquareMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * A Gaussian kernel density estimate with exactly the semantics of {@code scipy.stats.gaussian_kde}
 * (scipy 1.10): optional weights, effective sample size, weighted data covariance, Scott / Silverman /
 * scalar factor, kernel covariance {@code factor^2 * Sigma}. Results agree with scipy to ~1e-15 so that a
 * number computed here can be checked against a notebook. The estimate is immutable; the dataset is
 * copied.
 *
 * <p>Densities are computed with the quadratic form of the inverse kernel covariance; {@link #logpdf}
 * uses log-sum-exp so that points far from every sample get a finite log density where {@link #pdf}
 * underflows to 0.
 */
public final class GaussianKde {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private final double[][] dataset;
    private final int n;
    private final int d;
    private final double[] weights;
    private final double[] logWeights;
    private final double neff;
    private final Bandwidth bandwidth;
    private final double factor;
    private final double[][] dataCovariance;
    private final double[][] covariance;
    private final double[][] inverseCovariance;
    private final double logDet;

    /** Unweighted KDE of the rows of {@code dataset} (n x d). */
    public GaussianKde(double[][] dataset, Bandwidth bandwidth) {
        this(dataset, null, bandwidth);
    }

    /**
     * @param dataset n x d, one sample per row (scipy takes the transpose)
     * @param weights null for uniform weights, else n non-negative numbers (normalised here)
     * @param bandwidth the factor rule
     * @throws IllegalArgumentException when the shape is inconsistent or the covariance is singular
     */
    public GaussianKde(double[][] dataset, double[] weights, Bandwidth bandwidth) {
        if (dataset == null || dataset.length < 2) {
            throw new IllegalArgumentException("a KDE needs at least 2 samples");
        }
        this.n = dataset.length;
        this.d = dataset[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("a KDE needs at least 1 dimension");
        }
        if (d >= n) {
            // scipy raises too: the covariance of n <= d points is singular
            throw new IllegalArgumentException("number of dimensions " + d + " must be smaller than samples " + n);
        }
        this.dataset = new double[n][];
        for (int i = 0; i < n; i++) {
            if (dataset[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + dataset[i].length + " values, expected " + d);
            }
            for (double v : dataset[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("dataset contains a non-finite value at row " + i);
                }
            }
            this.dataset[i] = dataset[i].clone();
        }
        this.bandwidth = bandwidth;
        this.weights = normalisedWeights(weights, n);
        this.logWeights = new double[n];
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            logWeights[i] = Math.log(this.weights[i]);
            sumSq += this.weights[i] * this.weights[i];
        }
        this.neff = 1.0 / sumSq;
        this.factor = bandwidth.factor(neff, d);
        this.dataCovariance = weightedCovariance(this.dataset, this.weights);
        double f2 = factor * factor;
        this.covariance = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                covariance[a][b] = dataCovariance[a][b] * f2;
            }
        }
        double[][] dataInverse;
        try {
            dataInverse = new LUDecomposition(new Array2DRowRealMatrix(dataCovariance, false)).getSolver()
                    .getInverse().getData();
        } catch (SingularMatrixException e) {
            throw new IllegalArgumentException("the data covariance is singular", e);
        }
        this.inverseCovariance = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                inverseCovariance[a][b] = dataInverse[a][b] / f2;
            }
        }
        this.logDet = logDetTwoPi(covariance);
    }

    private static double[] normalisedWeights(double[] weights, int n) {
        double[] w = new double[n];
        if (weights == null) {
            Arrays.fill(w, 1.0 / n);
            return w;
        }
        if (weights.length != n) {
            throw new IllegalArgumentException("expected " + n + " weights, got " + weights.length);
        }
        double sum = 0;
        for (double v : weights) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("weights must be non-negative and finite");
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights sum to zero");
        }
        for (int i = 0; i < n; i++) {
            w[i] = weights[i] / sum;
        }
        return w;
    }

    /** numpy.cov(x.T, bias=False, aweights=w): sum w (x - xbar)(x - xbar)^T / (wsum - sum w^2 / wsum). */
    private static double[][] weightedCovariance(double[][] x, double[] w) {
        int n = x.length;
        int d = x[0].length;
        double wSum = 0;
        double wSq = 0;
        for (double v : w) {
            wSum += v;
            wSq += v * v;
        }
        double[] mean = new double[d];
        for (int k = 0; k < d; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[i][k] * w[i];
            }
            mean[k] = s / wSum;
        }
        double fact = wSum - wSq / wSum;
        double[][] c = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (x[i][a] - mean[a]) * w[i] * (x[i][b] - mean[b]);
                }
                c[a][b] = s / fact;
                c[b][a] = c[a][b];
            }
        }
        return c;
    }

    /** ln det(2 pi H) from the Cholesky factor, as scipy computes {@code log_det}. */
    private static double logDetTwoPi(double[][] h) {
        CholeskyDecomposition chol;
        try {
            chol = new CholeskyDecomposition(new Array2DRowRealMatrix(h, true), 1e-15, 0);
        } catch (NonPositiveDefiniteMatrixException | NonSquareMatrixException e) {
            throw new IllegalArgumentException("the kernel covariance is not positive definite", e);
        }
        RealMatrix l = chol.getL();
        double s = 0;
        double sqrt2pi = Math.sqrt(2 * Math.PI);
        for (int k = 0; k < h.length; k++) {
            double diag = l.getEntry(k, k);
            if (!(diag > 0)) {
                throw new IllegalArgumentException("the kernel covariance is not positive definite");
            }
            s += Math.log(diag * sqrt2pi);
        }
        return 2 * s;
    }

    /** Number of samples. */
    public int n() {
        return n;
    }

    /** Number of dimensions. */
    public int d() {
        return d;
    }

    /** A copy of the samples (n x d). */
    public double[][] dataset() {
        return deepCopy(dataset);
    }

    /** The normalised weights (uniform 1/n when none were given). */
    public double[] weights() {
        return weights.clone();
    }

    /** Effective sample size {@code 1 / sum w_i^2}, in floating point as scipy computes it. */
    public double neff() {
        return neff;
    }

    public Bandwidth bandwidth() {
        return bandwidth;
    }

    /** The bandwidth factor: kernel covariance = factor^2 * data covariance. */
    public double factor() {
        return factor;
    }

    /** Weighted, unbiased data covariance (d x d). */
    public double[][] dataCovariance() {
        return deepCopy(dataCovariance);
    }

    /** Kernel covariance H = factor^2 * data covariance (d x d). */
    public double[][] covariance() {
        return deepCopy(covariance);
    }

    /** Inverse of the kernel covariance. */
    public double[][] inverseCovariance() {
        return deepCopy(inverseCovariance);
    }

    /** {@code ln det(2 pi H)} (scipy's {@code log_det}). */
    public double logDet() {
        return logDet;
    }

    /** Kernel standard deviation per axis, {@code sqrt(H_kk)}. */
    public double[] bandwidthPerAxis() {
        double[] h = new double[d];
        for (int k = 0; k < d; k++) {
            h[k] = Math.sqrt(covariance[k][k]);
        }
        return h;
    }

    /** Minimum of the samples along an axis. */
    public double min(int axis) {
        double m = Double.POSITIVE_INFINITY;
        for (double[] row : dataset) {
            m = Math.min(m, row[axis]);
        }
        return m;
    }

    /** Maximum of the samples along an axis. */
    public double max(int axis) {
        double m = Double.NEGATIVE_INFINITY;
        for (double[] row : dataset) {
            m = Math.max(m, row[axis]);
        }
        return m;
    }

    private double quadraticForm(double[] x, double[] xi) {
        if (d == 1) {
            double u = x[0] - xi[0];
            return u * u * inverseCovariance[0][0];
        }
        if (d == 2) {
            double u = x[0] - xi[0];
            double v = x[1] - xi[1];
            return u * u * inverseCovariance[0][0] + 2 * u * v * inverseCovariance[0][1]
                    + v * v * inverseCovariance[1][1];
        }
        double q = 0;
        for (int a = 0; a < d; a++) {
            double ua = x[a] - xi[a];
            double s = 0;
            for (int b = 0; b < d; b++) {
                s += inverseCovariance[a][b] * (x[b] - xi[b]);
            }
            q += ua * s;
        }
        return q;
    }

    private void checkPoint(double[] x) {
        if (x.length != d) {
            throw new IllegalArgumentException("point has " + x.length + " coordinates, the KDE has " + d);
        }
    }

    /** The density at a point of d coordinates. */
    public double pdf(double... x) {
        checkPoint(x);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += weights[i] * Math.exp(-0.5 * quadraticForm(x, dataset[i]));
        }
        return s * Math.exp(-0.5 * logDet);
    }

    /** The density at each row of {@code points} (m x d). */
    public double[] pdf(double[][] points) {
        double[] out = new double[points.length];
        for (int j = 0; j < points.length; j++) {
            out[j] = pdf(points[j]);
        }
        return out;
    }

    /** The log density at a point, via log-sum-exp: finite even where {@link #pdf} underflows. */
    public double logpdf(double... x) {
        checkPoint(x);
        double[] terms = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            terms[i] = logWeights[i] - 0.5 * quadraticForm(x, dataset[i]);
            max = Math.max(max, terms[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double t : terms) {
            s += Math.exp(t - max);
        }
        return max + Math.log(s) - 0.5 * logDet;
    }

    /** The log density at each row of {@code points}. */
    public double[] logpdf(double[][] points) {
        double[] out = new double[points.length];
        for (int j = 0; j < points.length; j++) {
            out[j] = logpdf(points[j]);
        }
        return out;
    }

    /**
     * The log density at sample {@code i} of the KDE with that sample left out (kernel covariance
     * unchanged, the other weights renormalised): the term of the likelihood cross-validation score.
     */
    public double leaveOneOutLogpdf(int i) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[n];
        for (int j = 0; j < n; j++) {
            terms[j] = j == i ? Double.NEGATIVE_INFINITY : logWeights[j] - 0.5 * quadraticForm(dataset[i], dataset[j]);
            max = Math.max(max, terms[j]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                s += Math.exp(terms[j] - max);
            }
        }
        return max + Math.log(s) - Math.log1p(-weights[i]) - 0.5 * logDet;
    }

    /** The probability mass in [low, high] of a 1-D KDE (scipy's {@code integrate_box_1d}). */
    public double integrateBox1d(double low, double high) {
        if (d != 1) {
            throw new IllegalStateException("integrateBox1d needs a 1-D KDE, this one has " + d + " dimensions");
        }
        double h = Math.sqrt(covariance[0][0]);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double hi = STANDARD_NORMAL.cumulativeProbability((high - dataset[i][0]) / h);
            double lo = STANDARD_NORMAL.cumulativeProbability((low - dataset[i][0]) / h);
            s += weights[i] * (hi - lo);
        }
        return s;
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
