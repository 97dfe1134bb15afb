package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassOverlapTest {
    private final ClassOverlap overlap = new ClassOverlap(Bandwidth.SCOTT, 64, 3);

    private static double[][] cloud(Random rnd, int n, int dims, int[] labels, double separation) {
        double[][] x = new double[n][dims];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dims; j++) {
                x[i][j] = rnd.nextGaussian() + (j == labels[i] ? separation : 0);
            }
        }
        return x;
    }

    private static int[] labels(int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % classes;
        }
        return l;
    }

    @Test
    void separatedClassesHaveTvNearOneAndMixedClassesNearZero() {
        int[] labels = labels(300, 3);
        ClassOverlap.Result far = overlap.compute(cloud(new Random(3), 300, 6, labels, 12), labels);
        assertTrue(far.meanTv() > 0.95, "far apart: " + far.meanTv());
        ClassOverlap.Result mixed = overlap.compute(cloud(new Random(3), 300, 6, labels, 0), labels);
        assertTrue(mixed.meanTv() < 0.35, "same distribution: " + mixed.meanTv());
        assertEquals(3, far.pairs().size());
        assertTrue(far.minTv() <= far.meanTv() && far.meanTv() <= far.maxTv());
        assertEquals(64, far.grid().size());
    }

    @Test
    void twoClassesEqualTheTvOfTheirProjectedKdes() {
        int[] labels = labels(120, 2);
        double[][] x = cloud(new Random(5), 120, 4, labels, 2);
        ClassOverlap.Result r = overlap.compute(x, labels);
        double[][] projected = PrincipalComponents.fit(x, 2).project(x);
        double[][] a = new double[60][];
        double[][] b = new double[60][];
        for (int i = 0; i < 120; i++) {
            (labels[i] == 0 ? a : b)[i / 2] = projected[i];
        }
        double tv = TotalVariation.between(new GaussianKde(a, Bandwidth.SCOTT), new GaussianKde(b, Bandwidth.SCOTT),
                64).tv();
        assertEquals(tv, r.meanTv(), 1e-12);
        assertEquals(r.meanTv(), r.minTv());
    }

    @Test
    void smallClassesAreSkippedAndTooFewClassesRefused() {
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) {
            labels[i] = i < 2 ? 9 : i % 2;
        }
        ClassOverlap.Result r = overlap.compute(cloud(new Random(2), 40, 3, labels, 3), labels);
        assertEquals(List.of(9), r.skippedClasses());
        assertEquals(List.of(0, 1), r.classes());

        int[] one = new int[10];
        assertThrows(IllegalArgumentException.class, () -> overlap.compute(cloud(new Random(2), 10, 3, one, 0), one));
        assertThrows(IllegalArgumentException.class,
                () -> overlap.compute(new double[][] {{1}, {2}, {3}}, new int[] {0, 1, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> overlap.compute(new double[][] {{1, 2}, {2, 3}}, new int[] {0}));
    }
}
