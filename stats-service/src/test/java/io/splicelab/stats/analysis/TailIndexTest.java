package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.random.StableRandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class TailIndexTest {

    private static double[] stable(double alpha, int n, long seed) {
        StableRandomGenerator g = new StableRandomGenerator(new Well19937c(seed), alpha, 0);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = g.nextNormalizedDouble();
        }
        return x;
    }

    @Test
    void recoversTheStabilityIndex() {
        assertEquals(1.2, TailIndex.estimate(stable(1.2, 250_000, 1)).alpha(), 0.1);
        assertEquals(1.7, TailIndex.estimate(stable(1.7, 250_000, 2)).alpha(), 0.1);
        TailIndex.Result gaussian = TailIndex.estimate(stable(2.0, 250_000, 3));
        assertEquals(2.0, gaussian.alpha(), 0.1);
        assertEquals(500, gaussian.k1());
        assertEquals(500, gaussian.k2());
    }

    @Test
    void vectorVersionUsesNorms() {
        double[] a = stable(1.5, 40_000, 4);
        double[][] rows = new double[20_000][2];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = a[2 * i];
            rows[i][1] = a[2 * i + 1];
        }
        // a vector of independent stable coordinates is (in norm) alpha-stable-tailed too
        assertEquals(1.5, TailIndex.estimateRows(rows, 100).alpha(), 0.25);
    }
}
