package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class MmdTest {

    @TestFactory
    Stream<DynamicTest> matchesReference() {
        return Fixtures.cases("mmd2.json", "cases", c -> {
            Mmd mmd = new Mmd(Fixtures.matrix(c.get("X")), Fixtures.matrix(c.get("Y")));
            assertEquals(c.get("num_pairs").asInt(), mmd.pairCount());
            close(c, mmd.bandwidth(), "bandwidth");
            close(c, mmd.unbiased(), "mmd2_unbiased");
            close(c, mmd.biased(), "mmd2_biased");
            for (JsonNode p : c.get("permutations")) {
                int[] perm = new int[p.get("perm").size()];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = p.get("perm").get(i).asInt();
                }
                close(p.get("mmd2_unbiased").asDouble(), mmd.unbiased(perm), "permuted mmd2_unbiased");
            }
        });
    }

    @Test
    void permutationPValueIsSeededAndSeparatesShiftedSamples() {
        Random rnd = new Random(4);
        double[][] x = new double[40][3];
        double[][] y = new double[40][3];
        double[][] z = new double[40][3];
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = rnd.nextGaussian();
                y[i][j] = rnd.nextGaussian() + (j == 0 ? 1.5 : 0);
                z[i][j] = rnd.nextGaussian();
            }
        }
        Mmd.Test shifted = new Mmd(x, y).permutationTest(200, 42);
        assertTrue(shifted.pValue() < 0.01, "shift detected: " + shifted.pValue());
        assertEquals(shifted, new Mmd(x, y).permutationTest(200, 42), "same seed, same p-value");
        Mmd.Test same = new Mmd(x, z).permutationTest(200, 42);
        assertTrue(same.pValue() > 0.05, "no shift: " + same.pValue());
    }

    @Test
    void medianIsNumpys() {
        assertEquals(2.5, Mmd.median(new double[] {4, 1, 3, 2}));
        assertEquals(3.0, Mmd.median(new double[] {5, 1, 3}));
    }
}
