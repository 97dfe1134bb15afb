package io.splicelab.stats.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Alignment of SGD noise with the training trajectory (docs/science.md section 4): the fraction of noise
 * energy {@code sum_i ||P_k xi_i||^2 / sum_i ||xi_i||^2} in the span of the top-k principal directions of
 * the recent parameter updates (uncentered: the directions the weights actually moved along), against a
 * uniformly random k-dimensional subspace (expected fraction k/p) with a seeded Monte Carlo p-value.
 *
 * <p>The null needs no p x k matrix: for a uniformly random k-frame Q, only {@code V^T Q} matters (V an
 * orthonormal basis of the noise's span, r <= m dimensions), and by rotation invariance it is distributed
 * as {@code G1 (G1^T G1 + W)^(-1/2)} with G1 an r x k standard normal block and
 * {@code W ~ Wishart_k(p - r, I)} (Bartlett). Everything works with m x m and k x k matrices.
 */
public final class SubspaceAlignment {
    private SubspaceAlignment() {
    }

    /** Observed fraction, its null reference and p-value. {@code enrichment = fraction / (k/p)}. */
    public record Result(int k, int p, double fraction, double randomExpectation, double nullMean, double enrichment,
            int draws, long seed, double pValue) {
    }

    /**
     * @param noise m x p noise vectors (rows)
     * @param updates T x p parameter updates between checkpoints (rows)
     * @param k number of trajectory directions, at most the rank of the updates
     */
    public static Result test(double[][] noise, double[][] updates, int k, int draws, long seed) {
        int p = Matrices.columns(noise);
        if (Matrices.columns(updates) != p) {
            throw new IllegalArgumentException("noise and updates have different dimensions");
        }
        if (k < 1 || draws < 1) {
            throw new IllegalArgumentException("need k >= 1 and draws >= 1");
        }
        int m = noise.length;
        int t = updates.length;
        double[][] cross = new double[m][t];
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < t; s++) {
                double v = 0;
                for (int j = 0; j < p; j++) {
                    v += noise[i][j] * updates[s][j];
                }
                cross[i][s] = v;
            }
        }
        return fromProducts(p, Matrices.gram(noise, 1.0), Matrices.gram(updates, 1.0), cross, k, draws, seed);
    }

    /**
     * The test from the three small products it needs: the noise Gram {@code N N^T} (m x m), the update
     * Gram {@code D D^T} (T x T) and the cross products {@code N D^T} (m x T), all uncentered. A caller
     * that computes them in one pass over p-dimensional data never builds anything larger.
     */
    public static Result fromProducts(int p, double[][] noiseGram, double[][] updatesGram, double[][] cross, int k,
            int draws, long seed) {
        if (k < 1 || draws < 1) {
            throw new IllegalArgumentException("need k >= 1 and draws >= 1");
        }
        int m = noiseGram.length;
        int t = updatesGram.length;
        if (t < 1) {
            throw new IllegalArgumentException("no parameter updates");
        }
        // trajectory directions v_j = D^T u_j / sqrt(l_j) from the T x T Gram D D^T
        EigenDecomposition trajectory = new EigenDecomposition(new Array2DRowRealMatrix(updatesGram, true));
        double[] tl = trajectory.getRealEigenvalues();
        Integer[] order = descending(tl);
        double tMax = tl[order[0]];
        int rank = 0;
        for (double l : tl) {
            if (tMax > 0 && l > Math.max(t, p) * Math.ulp(1.0) * tMax) {
                rank++;
            }
        }
        if (k > rank) {
            throw new IllegalArgumentException("k = " + k + " exceeds the rank " + rank + " of the updates");
        }
        double total = 0;
        for (int i = 0; i < m; i++) {
            total += noiseGram[i][i];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the noise has no energy");
        }
        double inSpan = 0;
        for (int c = 0; c < k; c++) {
            double[] u = trajectory.getEigenvector(order[c]).toArray();
            double norm = Math.sqrt(tl[order[c]]);
            for (int i = 0; i < m; i++) {
                double proj = 0;
                for (int s = 0; s < t; s++) {
                    proj += cross[i][s] * u[s];
                }
                proj /= norm;
                inSpan += proj * proj;
            }
        }
        double fraction = inSpan / total;

        // noise spectrum (m x m Gram): energies along an orthonormal basis of its span
        double[] nl = new EigenDecomposition(new Array2DRowRealMatrix(noiseGram, true)).getRealEigenvalues();
        double nMax = 0;
        for (double l : nl) {
            nMax = Math.max(nMax, l);
        }
        int r = 0;
        double[] energies = new double[nl.length];
        for (double l : nl) {
            if (l > Math.max(m, p) * Math.ulp(1.0) * nMax) {
                energies[r++] = l;
            }
        }
        if (p - r < k) {
            throw new IllegalArgumentException("p = " + p + " is too small for the random-subspace null");
        }
        RandomGenerator rng = new Well19937c(seed);
        int atLeast = 0;
        double sum = 0;
        for (int b = 0; b < draws; b++) {
            double f = randomSubspaceFraction(energies, r, p, k, rng) / total;
            sum += f;
            if (f >= fraction) {
                atLeast++;
            }
        }
        double expectation = (double) k / p;
        return new Result(k, p, fraction, expectation, sum / draws, fraction / expectation, draws, seed,
                (1.0 + atLeast) / (1.0 + draws));
    }

    /** Energy captured by one uniformly random k-subspace: sum_l e_l ||(V^T Q)_l||^2. */
    static double randomSubspaceFraction(double[] energies, int r, int p, int k, RandomGenerator rng) {
        double[][] g1 = new double[r][k];
        for (double[] row : g1) {
            for (int c = 0; c < k; c++) {
                row[c] = rng.nextGaussian();
            }
        }
        double[][] gram = Wishart.sample(k, p - r, rng);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (double[] row : g1) {
                    s += row[a] * row[b];
                }
                gram[a][b] += s;
            }
        }
        // (G^T G)^(-1) via its eigen-decomposition; ||row M^(-1/2)||^2 = row M^(-1) row^T
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(gram, false));
        RealMatrix inverse = eig.getSolver().getInverse();
        double captured = 0;
        for (int l = 0; l < r; l++) {
            double q = 0;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    q += g1[l][a] * inverse.getEntry(a, b) * g1[l][b];
                }
            }
            captured += energies[l] * q;
        }
        return captured;
    }

    private static Integer[] descending(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        return order;
    }
}
