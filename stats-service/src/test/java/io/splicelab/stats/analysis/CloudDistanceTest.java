package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Same-distribution clouds are close and not significantly different; shifted clouds are far apart. */
class CloudDistanceTest {

    static double[][] cloud(Random rnd, int n, int d, double shift) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rnd.nextGaussian() + (j == 0 ? shift : 0) + (j == 1 ? 0.5 * rnd.nextGaussian() : 0);
            }
        }
        return x;
    }

    @Test
    void separatesShiftedCloudsOnly() {
        Random rnd = new Random(1);
        CloudDistance cd = new CloudDistance(Bandwidth.SCOTT, 48, 200, 3L, 100);
        CloudDistance.Result same = cd.compute(cloud(rnd, 120, 6, 0), cloud(rnd, 150, 6, 0));
        CloudDistance.Result far = cd.compute(cloud(rnd, 120, 6, 0), cloud(rnd, 150, 6, 3));
        assertTrue(same.tv() < 0.3, "same distribution, TV " + same.tv());
        assertTrue(same.mmd().pValue() > 0.01, "same distribution, p " + same.mmd().pValue());
        assertTrue(far.tv() > 0.7, "shifted by 3 sd, TV " + far.tv());
        assertTrue(far.mmd().pValue() < 0.01, "shifted, p " + far.mmd().pValue());
        assertEquals(100, far.mmdSamplesA(), "subsampled to maxMmdSamples");
        assertEquals(150, far.samplesB());
        CloudDistance.Result again = cd.compute(cloud(new Random(9), 120, 6, 0), cloud(new Random(10), 150, 6, 3));
        CloudDistance.Result again2 = cd.compute(cloud(new Random(9), 120, 6, 0), cloud(new Random(10), 150, 6, 3));
        assertEquals(again.mmd().mmd2(), again2.mmd().mmd2(), "seeded: reproducible");
    }

    @Test
    void rejectsTinyOrOneDimensionalClouds() {
        CloudDistance cd = new CloudDistance(Bandwidth.SCOTT, 16, 10, 1L, 100);
        assertThrows(IllegalArgumentException.class, () -> cd.compute(new double[2][3], new double[5][3]));
        assertThrows(IllegalArgumentException.class, () -> cd.compute(new double[5][1], new double[5][1]));
    }
}
