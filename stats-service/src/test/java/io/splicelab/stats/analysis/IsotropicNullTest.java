package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.Test;

class IsotropicNullTest {

    @Test
    void bartlettNullMatchesDirectGaussianSimulation() {
        int n = 12;
        int p = 30;
        double[] bartlett = IsotropicNull.topKExplainedNull(n, p, 2, 2000, 1);
        SummaryStatistics b = new SummaryStatistics();
        for (double v : bartlett) {
            b.addValue(v);
        }
        Random rnd = new Random(2);
        SummaryStatistics direct = new SummaryStatistics();
        for (int draw = 0; draw < 2000; draw++) {
            double[][] x = new double[n][p];
            for (double[] row : x) {
                for (int j = 0; j < p; j++) {
                    row[j] = 3 * rnd.nextGaussian() + 5;
                }
            }
            direct.addValue(Spectrum.of(x).topKExplained(2));
        }
        double se = Math.sqrt(b.getVariance() / 2000 + direct.getVariance() / 2000);
        assertEquals(direct.getMean(), b.getMean(), 4 * se, "same null mean");
        assertEquals(direct.getStandardDeviation(), b.getStandardDeviation(), 0.15 * direct.getStandardDeviation());
    }

    @Test
    void seededAndRejectsTheSpikedFixtureButNotTheIsotropicOne() throws Exception {
        assertArrayEquals(IsotropicNull.topKExplainedNull(64, 1000, 1, 50, 9),
                IsotropicNull.topKExplainedNull(64, 1000, 1, 50, 9));
        double[][] spiked = SphericityTest.csv("highdim_spiked_p1000_N64.csv");
        IsotropicNull.Result s = IsotropicNull.test(Spectrum.of(spiked), 1, 99, 7);
        assertEquals(1.0 / 100, s.pValue(), 1e-15, "no isotropic draw comes near a spike");
        assertTrue(s.effectSize() > 10);
        double[][] iso = SphericityTest.csv("highdim_iso_p1000_N64.csv");
        IsotropicNull.Result i = IsotropicNull.test(Spectrum.of(iso), 1, 99, 7);
        assertTrue(i.pValue() > 0.01, "isotropic data is not rejected: " + i.pValue());
    }
}
