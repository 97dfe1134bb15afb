package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** TV distance between two KDEs on the documented grid, against the numpy reference (1-D and 2-D). */
class TotalVariationTest {

    @TestFactory
    Stream<DynamicTest> matchesReferenceIn1d() {
        return Fixtures.cases("tv_kde_1d.json", "cases", c -> {
            TotalVariation.Result r = matchesReference(c, Fixtures::column);
            if (c.get("tv").asDouble() == 0.0) {
                assertEquals(0.0, r.tv(), "identical samples give exactly 0");
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> matchesReferenceIn2d() {
        return Fixtures.cases("tv_kde_2d.json", "cases", c -> {
            matchesReference(c, Fixtures::matrix);
            close(c.get("covariance_a"), kde(c, "a", Fixtures::matrix).covariance(), "covariance_a");
            close(c.get("covariance_b"), kde(c, "b", Fixtures::matrix).covariance(), "covariance_b");
        });
    }

    /**
     * Issue 14: class-overlap TV reached 1.000002. Two clouds far apart (20 samples each of N(0, 0.3^2) and
     * N(40, 0.3^2), numpy seed 1) on a 64-point grid whose spacing (0.67) is larger than their kernels' (0.1):
     * each density's plain Riemann sum over the grid is not 1 (1.110 and 1.068, numpy gives the same), so the plain
     * rule {@code 0.5 * cell * sum |p - q|} gave 1.089. On the grid's normalised masses it is 1.
     */
    @Test
    void disjointDensitiesOnAGridCoarseAgainstTheirKernelsStayAtMostOne() {
        double[] a = {0.103675, 0.246485, 0.099131, -0.390947, 0.271607, 0.133912, -0.161086, 0.174335, 0.109372,
            0.08824, 0.008527, 0.164014, -0.220936, -0.048873, -0.144636, 0.179654, 0.011917, -0.087737, -0.234573,
            -0.077158};
        double[] b = {40.002443, 39.917319, 40.388219, 40.302017, 39.186651, 39.433296, 39.947568, 39.873343,
            40.064093, 40.065197, 40.635352, 39.666394, 39.886718, 40.612831, 40.194011, 40.198919, 39.845798,
            39.505577, 40.050239, 40.032704};
        TotalVariation.Result r = TotalVariation.between(new GaussianKde(column(a), Bandwidth.SCOTT),
                new GaussianKde(column(b), Bandwidth.SCOTT), 64);
        double plain = TotalVariation.riemann(r.p(), r.q(), r.grid().cellVolume());
        assertEquals(1.0893151870644389, plain, 1e-9, "the plain rule (numpy: 1.0893151870644389)");
        assertEquals(1.1104367885515267, r.massP(), 1e-9, "the cause: grid mass of a");
        assertEquals(1.068193585577351, r.massQ(), 1e-9, "the cause: grid mass of b");
        assertEquals(1.0, r.tv(), 1e-12, "disjoint: the normalised grid masses do not overlap");
        assertTrue(r.tv() <= 1.0, "tv " + r.tv());
    }

    /** Class overlap of well separated classes, tighter and tighter against the grid: never above 1. */
    @Test
    void classOverlapOfFarApartClassesNeverExceedsOne() {
        boolean plainAboveOne = false;
        for (double spread : new double[] {0.3, 0.5, 0.8, 1.2, 2.0}) {
            java.util.Random rnd = new java.util.Random(7);
            int n = 300;
            double[][] x = new double[n][3];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 3;
                for (int j = 0; j < 3; j++) {
                    x[i][j] = spread * rnd.nextGaussian() + (j == labels[i] ? 40 : 0);
                }
            }
            ClassOverlap.Result r = new ClassOverlap(Bandwidth.SCOTT, 64, 3).compute(x, labels);
            for (ClassOverlap.Pair p : r.pairs()) {
                assertTrue(p.tv() <= 1.0, "spread " + spread + ": pair " + p);
            }
            assertTrue(r.meanTv() > 0.99, "spread " + spread + ": far apart, mean " + r.meanTv());
            for (int c = 0; c < r.classes().size(); c++) {
                for (int d = c + 1; d < r.classes().size(); d++) {
                    plainAboveOne |= TotalVariation.riemann(r.densities().get(c), r.densities().get(d),
                            r.grid().cellVolume()) > 1;
                }
            }
        }
        assertTrue(plainAboveOne, "some of these exceeded 1 under the plain rule");
    }

    @Test
    void aDensityWithNoMassOnTheGridIsRefusedWithTheReason() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TotalVariation.distance(new double[] {0, 0, 0}, new double[] {0.1, 0.5, 0.1}, 1.0));
        assertTrue(e.getMessage().contains("grid"), e.getMessage());
    }

    private static double[][] column(double[] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new double[] {v[i]};
        }
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** 0.5 * sum |p/P - q/Q| from the reference's own densities. */
    private static double normalised(double[] p, double[] q) {
        double sp = sum(p);
        double sq = sum(q);
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            s += Math.abs(p[k] / sp - q[k] / sq);
        }
        return 0.5 * s;
    }

    private static double[] ref(JsonNode values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        return out;
    }

    private static GaussianKde kde(JsonNode c, String samples, Function<JsonNode, double[][]> read) {
        return new GaussianKde(read.apply(c.get(samples)), Fixtures.bandwidth(c.get("bw_method")));
    }

    /** The two KDEs' bandwidths, the grid, both densities on it and the distance, against the reference case. */
    private static TotalVariation.Result matchesReference(JsonNode c, Function<JsonNode, double[][]> read) {
        GaussianKde a = kde(c, "a", read);
        GaussianKde b = kde(c, "b", read);
        int g = c.get("grid_size").asInt();
        TotalVariation.Result r = TotalVariation.between(a, b, g);
        close(c, a.factor(), "factor_a");
        close(c, b.factor(), "factor_b");
        close(c.get("h_a"), a.bandwidthPerAxis(), "h_a");
        close(c.get("h_b"), b.bandwidthPerAxis(), "h_b");
        close(c.get("lo"), r.grid().lo(), "lo");
        close(c.get("hi"), r.grid().hi(), "hi");
        close(c.get("dx"), r.grid().dx(), "dx");
        assertEquals((int) Math.pow(g, a.d()), r.p().length);
        close(c.get("p_grid"), r.p(), "p_grid");
        close(c.get("q_grid"), r.q(), "q_grid");
        // the reference's tv is the plain Riemann rule; ours is that rule on the grid masses normalised to 1
        close(c, TotalVariation.riemann(r.p(), r.q(), r.grid().cellVolume()), "tv");
        assertEquals(normalised(ref(c.get("p_grid")), ref(c.get("q_grid"))), r.tv(), 1e-9);
        return r;
    }
}
