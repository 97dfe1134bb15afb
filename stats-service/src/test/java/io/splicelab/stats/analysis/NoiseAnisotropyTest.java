package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass Gram pipeline agrees with the fixture-tested analyses it replaces on p-dimensional data
 * (Spectrum.of, Sphericity.highDimensional, IsotropicNull, SubspaceAlignment.test, TailIndex.estimateRows),
 * and says what it should on isotropic and spiked noise.
 */
class NoiseAnisotropyTest {

    /** m x p rows as float32 values (so the float and double paths see the same numbers). */
    static double[][] noise(Random rnd, int m, int p, double spike) {
        double[] dir = new double[p];
        for (int j = 0; j < p; j++) {
            dir[j] = rnd.nextGaussian() / Math.sqrt(p);
        }
        double[][] x = new double[m][p];
        for (int i = 0; i < m; i++) {
            double a = rnd.nextGaussian() * spike;
            for (int j = 0; j < p; j++) {
                x[i][j] = (float) (rnd.nextGaussian() + a * dir[j] * Math.sqrt(p));
            }
        }
        return x;
    }

    static float[] flat(double[][] x) {
        int p = x[0].length;
        float[] f = new float[x.length * p];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < p; j++) {
                f[i * p + j] = (float) x[i][j];
            }
        }
        return f;
    }

    static float[] row(double[] x) {
        float[] f = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            f[j] = (float) x[j];
        }
        return f;
    }

    static void closeAll(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            Fixtures.close(expected[i], actual[i], what + "[" + i + "]");
        }
    }

    @Test
    void agreesWithTheReferenceAnalyses() {
        Random rnd = new Random(11);
        int m = 24;
        int p = 2500; // more than two Gram blocks, and not a multiple of the block
        double[][] x = noise(rnd, m, p, 3);
        double[][] updates = noise(rnd, 3, p, 0);
        NoiseProducts products = NoiseProducts.of(flat(x), m, p, List.of(row(updates[0]), row(updates[1]),
                row(updates[2])));
        NoiseProducts fromDouble = NoiseProducts.of(x, updates);
        for (int i = 0; i < m; i++) {
            closeAll(fromDouble.gram()[i], products.gram()[i], "gram row " + i);
            closeAll(fromDouble.cross()[i], products.cross()[i], "cross row " + i);
        }
        NoiseAnisotropy na = new NoiseAnisotropy(new int[] {1, 2, 5}, 200, 7L, 0.9, 2, 300, 8L, 0.05);
        NoiseAnisotropy.Result r = na.analyze(products);

        Spectrum ref = Spectrum.of(x);
        assertEquals(ref.rank(), r.spectrum().rank());
        closeAll(ref.eigenvalues(), r.spectrum().eigenvalues(), "eigenvalues");
        close(ref.participationRatio(), r.spectrum().participationRatio(), "participation ratio");
        close(ref.effectiveRankEntropy(), r.spectrum().effectiveRankEntropy(), "effective rank");

        Sphericity.HighDimensional h = Sphericity.highDimensional(x);
        close(h.ledoitWolf().z(), r.tests().ledoitWolf().z(), "LW z");
        close(h.srivastava().t(), r.tests().srivastava().t(), "Srivastava t");

        for (NoiseAnisotropy.TopKNull k : r.mcNull().topK()) {
            IsotropicNull.Result in = IsotropicNull.test(ref, k.k(), 200, 7L);
            close(in.pValue(), k.pValue(), "MC p-value k=" + k.k());
            close(in.nullMean(), k.nullMean(), "MC null mean k=" + k.k());
            close(in.effectSize(), k.effectSize(), "MC effect k=" + k.k());
        }
        assertEquals(ref.rank(), r.mcNull().rankQuantiles().length);

        SubspaceAlignment.Result a = SubspaceAlignment.test(x, updates, 2, 300, 8L);
        close(a.fraction(), r.alignment().fraction(), "alignment fraction");
        close(a.pValue(), r.alignment().pValue(), "alignment p-value");
        assertEquals(2, r.alignmentKUsed());

        TailIndex.Result t = TailIndex.estimateRows(x, (int) Math.floor(Math.sqrt(m)));
        close(t.alpha(), r.tailIndex().alpha(), "tail index");
    }

    @Test
    void spikedNoiseIsAnisotropicAndIsotropicNoiseIsNot() {
        Random rnd = new Random(5);
        NoiseAnisotropy na = new NoiseAnisotropy(new int[] {1, 2}, 200, 1L, 0.9, 2, 200, 2L, 0.05);
        NoiseAnisotropy.Result spiked = na.analyze(NoiseProducts.of(noise(rnd, 32, 3000, 4), new double[0][]));
        assertTrue(spiked.isotropyRejected());
        assertTrue(spiked.tests().ledoitWolf().pValue() < 1e-6);
        assertTrue(spiked.mcNull().topK().get(0).pValue() < 0.01);
        assertTrue(spiked.directionsForThreshold() < spiked.mcNull().directionsQuantiles()[0],
                "fewer directions than the null's 5 % quantile");
        assertNull(spiked.alignment(), "no updates, no alignment");

        NoiseAnisotropy.Result iso = na.analyze(NoiseProducts.of(noise(rnd, 32, 3000, 0), new double[0][]));
        assertFalse(iso.isotropyRejected());
        assertTrue(iso.mcNull().topK().get(0).pValue() > 0.01, "isotropic, MC p " + iso.mcNull().topK().get(0).pValue() + " observed " + iso.mcNull().topK().get(0).observed() + " null mean " + iso.mcNull().topK().get(0).nullMean());
        double alpha = iso.tailIndex().alpha();
        assertTrue(alpha > 1.5, "Gaussian noise has tail index near 2, got " + alpha);
    }

    @Test
    void alignmentKIsCappedByTheRankOfTheUpdates() {
        Random rnd = new Random(3);
        double[][] x = noise(rnd, 16, 500, 1);
        double[][] one = noise(rnd, 1, 500, 0);
        NoiseAnisotropy.Result r = NoiseAnisotropy.defaults().analyze(NoiseProducts.of(x, one));
        assertEquals(1, r.alignmentKUsed());
    }

    @Test
    void rejectsNonFiniteAndMisshapedInput() {
        float[] v = new float[8 * 10];
        v[17] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> NoiseProducts.of(v, 8, 10, List.of()));
        assertThrows(IllegalArgumentException.class, () -> NoiseProducts.of(new float[10], 8, 10, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseProducts.of(new float[80], 8, 10, List.of(new float[9])));
        assertThrows(IllegalArgumentException.class, () -> NoiseAnisotropy.defaults()
                .analyze(NoiseProducts.of(new double[3][5], new double[0][])));
    }

    @Test
    void directionsForThreshold() {
        Spectrum s = new Spectrum(10, 100, new double[] {5, 3, 1, 1});
        assertEquals(1, NoiseAnisotropy.directionsFor(s, 0.5));
        assertEquals(3, NoiseAnisotropy.directionsFor(s, 0.9));
        assertEquals(4, NoiseAnisotropy.directionsFor(s, 1.0));
        assertArrayEquals(new double[] {0.05, 0.5, 0.95}, NoiseAnisotropy.QUANTILES);
    }
}
