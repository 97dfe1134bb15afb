package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PrincipalComponentsTest {

    @Test
    void findsTheDirectionsOfLargestVarianceInOrder() {
        Random rnd = new Random(1);
        double[][] x = new double[2000][3];
        for (double[] row : x) {
            row[0] = 0.5 * rnd.nextGaussian();
            row[1] = 5 + 3 * rnd.nextGaussian();
            row[2] = 1.5 * rnd.nextGaussian();
        }
        PrincipalComponents pca = PrincipalComponents.fit(x, 2);
        assertEquals(1.0, Math.abs(pca.components()[0][1]), 1e-2);
        assertEquals(1.0, Math.abs(pca.components()[1][2]), 1e-2);
        assertTrue(pca.eigenvalues()[0] > pca.eigenvalues()[1]);
        double[] ratio = pca.explainedVarianceRatio();
        assertEquals(9.0 / 11.5, ratio[0], 0.03);
        assertEquals(2.25 / 11.5, ratio[1], 0.03);
        // signs are fixed: the largest coordinate of each component is positive
        assertTrue(pca.components()[0][1] > 0);
        double[][] projected = pca.project(x);
        double mean = 0;
        for (double[] row : projected) {
            mean += row[0];
        }
        assertEquals(0.0, mean / x.length, 1e-9, "projections are centered");
    }

    @Test
    void refusesMoreComponentsThanDimensions() {
        assertThrows(IllegalArgumentException.class, () -> PrincipalComponents.fit(new double[][] {{1}, {2}}, 2));
    }
}
