package io.splicelab.stats.analysis;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The top-k principal components of a sample (n x p): eigenvectors of the unbiased sample covariance
 * (commons-math3), largest eigenvalues first. Used to look at a feature cloud in the plane where it
 * varies most. Each component's sign is fixed so that its largest-magnitude coordinate is positive, so a
 * projection is reproducible from run to run.
 */
public record PrincipalComponents(double[] mean, double[][] components, double[] eigenvalues, double totalVariance) {

    /** Fits the top {@code k} components of the rows of {@code x}. */
    public static PrincipalComponents fit(double[][] x, int k) {
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("principal components need at least 2 samples, got " + n);
        }
        int p = x[0].length;
        if (k < 1 || k > p) {
            throw new IllegalArgumentException("cannot take " + k + " components of " + p + " dimensions");
        }
        for (double[] row : x) {
            if (row.length != p) {
                throw new IllegalArgumentException("rows of different lengths");
            }
        }
        double[] mean = Matrices.columnMeans(x);
        RealMatrix cov = new Covariance(new Array2DRowRealMatrix(x, false), true).getCovarianceMatrix();
        EigenDecomposition eig = new EigenDecomposition(cov);
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[p];
        for (int j = 0; j < p; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> values[j]).reversed());
        double total = 0;
        for (int j = 0; j < p; j++) {
            total += cov.getEntry(j, j);
        }
        double[][] components = new double[k][];
        double[] top = new double[k];
        for (int c = 0; c < k; c++) {
            double[] v = eig.getEigenvector(order[c]).toArray();
            int arg = 0;
            for (int j = 1; j < p; j++) {
                if (Math.abs(v[j]) > Math.abs(v[arg])) {
                    arg = j;
                }
            }
            if (v[arg] < 0) {
                for (int j = 0; j < p; j++) {
                    v[j] = -v[j];
                }
            }
            components[c] = v;
            top[c] = Math.max(0.0, values[order[c]]);
        }
        return new PrincipalComponents(mean, components, top, total);
    }

    /** Number of components. */
    public int k() {
        return components.length;
    }

    /** Fraction of the total variance along each component. */
    public double[] explainedVarianceRatio() {
        double[] r = new double[eigenvalues.length];
        for (int c = 0; c < r.length; c++) {
            r[c] = totalVariance > 0 ? eigenvalues[c] / totalVariance : 0.0;
        }
        return r;
    }

    /** The coordinates of the rows of {@code x} on the components (n x k), after centering. */
    public double[][] project(double[][] x) {
        double[][] out = new double[x.length][components.length];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < components.length; c++) {
                double s = 0;
                for (int j = 0; j < mean.length; j++) {
                    s += (x[i][j] - mean[j]) * components[c][j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }
}
