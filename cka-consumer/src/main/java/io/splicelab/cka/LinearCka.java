package io.splicelab.cka;

/**
 * Linear centered kernel alignment (Kornblith, Norouzi, Lee and Hinton, "Similarity of Neural Network
 * Representations Revisited", ICML 2019). For representations X (n x p1) and Y (n x p2) of the same n
 * examples, with every column centered:
 *
 * <pre>
 *   CKA(X, Y) = ||Y^T X||_F^2 / (||X^T X||_F * ||Y^T Y||_F)
 * </pre>
 *
 * which equals HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)) with linear kernels K = XX^T and L = YY^T. It is
 * invariant to orthogonal transforms and isotropic scaling, in [0, 1], and 1 for X with itself. Computed
 * in feature space (p1 x p2 cross products), which is cheaper than n x n Gram matrices when p < n.
 */
public final class LinearCka {
    private LinearCka() {
    }

    /**
     * A representation prepared for CKA: column-centered, with its self-similarity norm ||X^T X||_F.
     * Rows are examples.
     */
    public static final class Centered {
        private final double[][] x;
        private final double selfNorm;

        private Centered(double[][] x) {
            this.x = x;
            this.selfNorm = Math.sqrt(frobeniusSquaredOfCross(x, x));
        }

        public int rows() {
            return x.length;
        }

        public int cols() {
            return x.length == 0 ? 0 : x[0].length;
        }

        /** ||X^T X||_F; 0 for a constant representation. */
        public double selfNorm() {
            return selfNorm;
        }
    }

    /** Centers the columns of a representation (rows are examples). */
    public static Centered center(float[][] features) {
        int n = features.length;
        int p = n == 0 ? 0 : features[0].length;
        double[] mean = new double[p];
        for (float[] row : features) {
            if (row.length != p) {
                throw new IllegalArgumentException("ragged feature matrix");
            }
            for (int j = 0; j < p; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= Math.max(1, n);
        }
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = features[i][j] - mean[j];
            }
        }
        return new Centered(x);
    }

    /** Linear CKA of two representations of the same examples. */
    public static double cka(float[][] x, float[][] y) {
        return cka(center(x), center(y));
    }

    /**
     * Linear CKA of two centered representations of the same examples; NaN when either is constant (CKA is
     * undefined there).
     */
    public static double cka(Centered x, Centered y) {
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("representations of " + x.rows() + " and " + y.rows()
                    + " examples: CKA compares the same examples");
        }
        double denominator = x.selfNorm * y.selfNorm;
        if (!(denominator > 0)) {
            return Double.NaN;
        }
        double v = frobeniusSquaredOfCross(y.x, x.x) / denominator;
        return Math.min(1.0, Math.max(0.0, v));
    }

    /** ||A^T B||_F^2 for A (n x p) and B (n x q), accumulated over rows. */
    static double frobeniusSquaredOfCross(double[][] a, double[][] b) {
        int n = a.length;
        if (n == 0) {
            return 0;
        }
        int p = a[0].length;
        int q = b[0].length;
        double[][] cross = new double[p][q];
        for (int i = 0; i < n; i++) {
            double[] ai = a[i];
            double[] bi = b[i];
            for (int j = 0; j < p; j++) {
                double aij = ai[j];
                if (aij == 0) {
                    continue;
                }
                double[] cj = cross[j];
                for (int k = 0; k < q; k++) {
                    cj[k] += aij * bi[k];
                }
            }
        }
        double sum = 0;
        for (double[] row : cross) {
            for (double v : row) {
                sum += v * v;
            }
        }
        return sum;
    }
}
