package io.splicelab.cka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearCkaTest {

    static float[][] random(Random r, int n, int p) {
        float[][] m = new float[n][p];
        for (float[] row : m) {
            for (int j = 0; j < p; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return m;
    }

    /** HSIC with n x n Gram matrices, the definition in Kornblith et al. (2019), eq. (3), as a reference. */
    static double ckaByGram(float[][] x, float[][] y) {
        int n = x.length;
        double[][] k = gram(x);
        double[][] l = gram(y);
        double[][] hk = center(k);
        double[][] hl = center(l);
        return dot(hk, hl) / Math.sqrt(dot(hk, hk) * dot(hl, hl));
    }

    static double[][] gram(float[][] x) {
        int n = x.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < x[0].length; c++) {
                    s += (double) x[i][c] * x[j][c];
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    static double[][] center(double[][] g) {
        int n = g.length;
        double[] row = new double[n];
        double[] col = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                row[i] += g[i][j] / n;
                col[j] += g[i][j] / n;
                all += g[i][j] / ((double) n * n);
            }
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = g[i][j] - row[i] - col[j] + all;
            }
        }
        return c;
    }

    static double dot(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                s += a[i][j] * b[i][j];
            }
        }
        return s;
    }

    @Test
    void aRepresentationWithItselfIsOne() {
        float[][] x = random(new Random(1), 50, 8);
        assertEquals(1.0, LinearCka.cka(x, x), 1e-12);
    }

    @Test
    void equalsTheGramMatrixDefinition() {
        Random r = new Random(2);
        float[][] x = random(r, 40, 6);
        float[][] y = random(r, 40, 9);
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 6; j++) {
                y[i][j] += 0.8f * x[i][j]; // related representations
            }
        }
        double expected = ckaByGram(x, y);
        assertEquals(expected, LinearCka.cka(x, y), 1e-9);
        assertEquals(LinearCka.cka(x, y), LinearCka.cka(y, x), 1e-12, "symmetric");
        assertTrue(expected > 0.2 && expected < 1, "related but not identical: " + expected);
    }

    @Test
    void invariantToRotationIsotropicScalingAndTranslation() {
        Random r = new Random(3);
        float[][] x = random(r, 60, 2);
        float[][] y = random(r, 60, 3);
        double theta = 0.7;
        float[][] x2 = new float[60][2];
        for (int i = 0; i < 60; i++) {
            double a = x[i][0];
            double b = x[i][1];
            x2[i][0] = (float) (3.5 * (Math.cos(theta) * a - Math.sin(theta) * b) + 10);
            x2[i][1] = (float) (3.5 * (Math.sin(theta) * a + Math.cos(theta) * b) - 4);
        }
        assertEquals(LinearCka.cka(x, y), LinearCka.cka(x2, y), 1e-5);
        assertEquals(1.0, LinearCka.cka(x, x2), 1e-5);
    }

    @Test
    void undefinedForAConstantRepresentationAndDifferentExamples() {
        float[][] constant = new float[10][3];
        assertTrue(Double.isNaN(LinearCka.cka(constant, random(new Random(4), 10, 3))));
        assertThrows(IllegalArgumentException.class,
                () -> LinearCka.cka(random(new Random(5), 10, 3), random(new Random(6), 11, 3)));
    }
}
