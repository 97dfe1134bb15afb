package io.splicelab.gateway.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Welch's test against scipy.stats.ttest_ind(equal_var=False). */
class WelchTest {

    @Test
    void matchesScipy() {
        // scipy: ttest_ind([0.84, 0.86, 0.85], [0.78, 0.80, 0.75], equal_var=False, alternative='greater')
        //   statistic = 4.6904, pvalue = 0.012348, df = 2.6162
        Welch w = Welch.test(new double[] {0.84, 0.86, 0.85}, new double[] {0.78, 0.80, 0.75});
        assertEquals(0.07333, w.diff(), 1e-4);
        assertEquals(4.6904, w.t(), 1e-3);
        assertEquals(2.6162, w.df(), 1e-3);
        assertEquals(0.012348, w.p(), 1e-5);
        // scipy: .confidence_interval(0.95) of the two-sided test = (0.019181, 0.127485)
        assertEquals(0.019181, w.low(), 1e-5);
        assertEquals(0.127485, w.high(), 1e-5);
        // the other direction: one-sided p close to 1
        assertEquals(1 - 0.012348, Welch.test(new double[] {0.78, 0.80, 0.75}, new double[] {0.84, 0.86, 0.85}).p(),
                1e-5);
    }

    @Test
    void noSpreadAndTooFewSeeds() {
        Welch w = Welch.test(new double[] {0.5, 0.5}, new double[] {0.4, 0.4});
        assertEquals(0.0, w.p());
        assertEquals(0.1, w.low(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Welch.test(new double[] {1}, new double[] {1, 2}));
    }
}
