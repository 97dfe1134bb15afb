package io.splicelab.stats.analysis;

/** Small helpers on row-major sample matrices (rows = samples) shared by the analyses. */
final class Matrices {
    private Matrices() {
    }

    /** Checks that {@code x} is a non-empty rectangular matrix and returns its column count. */
    static int columns(double[][] x) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("empty sample");
        }
        int p = x[0].length;
        for (double[] row : x) {
            if (row.length != p) {
                throw new IllegalArgumentException("rows of different lengths");
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("sample contains a non-finite value");
                }
            }
        }
        return p;
    }

    /** {@code x} minus its column means (a new matrix). */
    static double[][] centered(double[][] x) {
        int n = x.length;
        int p = columns(x);
        double[] mean = columnMeans(x);
        double[][] c = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                c[i][j] = x[i][j] - mean[j];
            }
        }
        return c;
    }

    /** The mean of each column of a non-empty rectangular matrix (rows are not checked here). */
    static double[] columnMeans(double[][] x) {
        int p = x[0].length;
        double[] mean = new double[p];
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= x.length;
        }
        return mean;
    }

    /** The Gram matrix {@code a a^T / divisor} (n x n). */
    static double[][] gram(double[][] a, double divisor) {
        int n = a.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = i; k < n; k++) {
                double s = 0;
                double[] ri = a[i];
                double[] rk = a[k];
                for (int j = 0; j < ri.length; j++) {
                    s += ri[j] * rk[j];
                }
                g[i][k] = s / divisor;
                g[k][i] = g[i][k];
            }
        }
        return g;
    }

    /** The scatter {@code a^T a / divisor} (p x p). */
    static double[][] scatter(double[][] a, double divisor) {
        int p = a[0].length;
        double[][] s = new double[p][p];
        for (double[] row : a) {
            for (int j = 0; j < p; j++) {
                double rj = row[j];
                for (int k = j; k < p; k++) {
                    s[j][k] += rj * row[k];
                }
            }
        }
        for (int j = 0; j < p; j++) {
            for (int k = j; k < p; k++) {
                s[j][k] /= divisor;
                s[k][j] = s[j][k];
            }
        }
        return s;
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s += d * d;
        }
        return s;
    }
}
