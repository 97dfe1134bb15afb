package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.Test;

class SubspaceAlignmentTest {
    private static final int P = 120;

    private static double[][] gaussian(Random rnd, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] r : m) {
            for (int j = 0; j < cols; j++) {
                r[j] = rnd.nextGaussian();
            }
        }
        return m;
    }

    @Test
    void noiseInTheTrajectorySpanIsAlignedAndIsotropicNoiseIsNot() {
        Random rnd = new Random(3);
        double[][] updates = gaussian(rnd, 6, P);
        double[][] aligned = new double[20][P];
        for (double[] row : aligned) {
            for (double[] u : updates) {
                double c = rnd.nextGaussian();
                for (int j = 0; j < P; j++) {
                    row[j] += c * u[j];
                }
            }
        }
        SubspaceAlignment.Result a = SubspaceAlignment.test(aligned, updates, 6, 500, 1);
        assertEquals(1.0, a.fraction(), 1e-9, "all energy in the span of the updates");
        assertEquals(1.0 / 501, a.pValue(), 1e-15);
        assertEquals(6.0 / P, a.randomExpectation());
        assertEquals(a.randomExpectation(), a.nullMean(), 0.01);

        SubspaceAlignment.Result iso = SubspaceAlignment.test(gaussian(rnd, 20, P), updates, 3, 500, 1);
        assertEquals(3.0 / P, iso.fraction(), 0.02);
        assertTrue(iso.pValue() > 0.01, "isotropic noise is not aligned: " + iso.pValue());
    }

    @Test
    void wishartShortcutMatchesExplicitRandomSubspaces() {
        Random rnd = new Random(5);
        double[][] noise = gaussian(rnd, 8, P);
        for (int j = 0; j < 4; j++) {
            for (double[] row : noise) {
                row[j] *= 6; // anisotropic noise so that the null depends on its spectrum
            }
        }
        int k = 4;
        double total = 0;
        for (double[] row : noise) {
            for (double v : row) {
                total += v * v;
            }
        }
        // explicit: QR of a P x k Gaussian matrix
        SummaryStatistics explicit = new SummaryStatistics();
        for (int b = 0; b < 3000; b++) {
            RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(gaussian(rnd, P, k), false)).getQ()
                    .getSubMatrix(0, P - 1, 0, k - 1);
            double captured = 0;
            for (double[] row : noise) {
                double[] proj = q.preMultiply(row);
                for (double v : proj) {
                    captured += v * v;
                }
            }
            explicit.addValue(captured / total);
        }
        double[] energies = new org.apache.commons.math3.linear.EigenDecomposition(
                new Array2DRowRealMatrix(Matrices.gram(noise, 1.0), false)).getRealEigenvalues();
        SummaryStatistics shortcut = new SummaryStatistics();
        Well19937c rng = new Well19937c(8);
        for (int b = 0; b < 3000; b++) {
            shortcut.addValue(SubspaceAlignment.randomSubspaceFraction(energies, energies.length, P, k, rng) / total);
        }
        assertEquals((double) k / P, shortcut.getMean(), 4 * shortcut.getStandardDeviation() / Math.sqrt(3000));
        assertEquals(explicit.getMean(), shortcut.getMean(), 0.004);
        assertEquals(explicit.getStandardDeviation(), shortcut.getStandardDeviation(),
                0.1 * explicit.getStandardDeviation());
    }
}
