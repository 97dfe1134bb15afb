package io.splicelab.stats.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Reads the numpy/scipy reference fixtures kept with the tests ({@code src/test/resources/fixtures/stats},
 * whose README gives their formulas and provenance; Maven passes the directory as {@code splicelab.fixtures.dir})
 * and compares with their tolerance.
 */
final class Fixtures {
    static final double TOL = 1e-9;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    static Path dir() {
        String configured = System.getProperty("splicelab.fixtures.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("src/test/resources/fixtures/stats");
        assertTrue(Files.isDirectory(dir), "fixtures directory not found: " + dir.toAbsolutePath());
        return dir;
    }

    /**
     * One dynamic test per case of a fixture section (an array of objects with a {@code name}), so a failing
     * case is reported under its own name and the others still run.
     */
    static Stream<DynamicTest> cases(String file, String section, ThrowingConsumer<JsonNode> check) {
        return DynamicTest.stream(read(file).get(section).iterator(), c -> c.get("name").asText(), check);
    }

    static JsonNode read(String name) {
        try {
            return MAPPER.readTree(dir().resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] vector(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    static double[][] matrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(node.get(i));
        }
        return m;
    }

    /** A 1-D sample as an n x 1 matrix. */
    static double[][] column(JsonNode node) {
        double[] v = vector(node);
        double[][] m = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            m[i][0] = v[i];
        }
        return m;
    }

    /** {@code |actual - expected| <= 1e-9 * max(1, |expected|)}. */
    static void close(double expected, double actual, String what) {
        double bound = TOL * Math.max(1.0, Math.abs(expected));
        assertTrue(Math.abs(actual - expected) <= bound,
                () -> what + ": expected " + expected + " but was " + actual + " (diff " + Math.abs(actual - expected)
                        + ")");
    }

    /** Relative check for p-values computed through an upper tail: {@code 1e-9 * max(|ref|, 1e-300)}. */
    static void closeP(double expected, double actual, String what) {
        double bound = TOL * Math.max(Math.abs(expected), 1e-300);
        assertTrue(Math.abs(actual - expected) <= bound,
                () -> what + ": expected " + expected + " but was " + actual);
    }

    /**
     * One computed value against a case's reference numbers under {@code keys} (scipy's names; several when
     * scipy reports the same value under more than one name), each with {@link #close(double, double, String)}.
     */
    static void close(JsonNode c, double actual, String... keys) {
        for (String key : keys) {
            close(c.get(key).asDouble(), actual, key);
        }
    }

    /** As {@link #close(JsonNode, double, String...)}, with the p-value check {@link #closeP}. */
    static void closeP(JsonNode c, double actual, String... keys) {
        for (String key : keys) {
            closeP(c.get(key).asDouble(), actual, key);
        }
    }

    /** An array against the reference's array, or against its number when the reference is one-dimensional. */
    static void close(JsonNode expected, double[] actual, String what) {
        if (expected.isNumber()) {
            assertEquals(1, actual.length, what + ": length");
            close(expected.asDouble(), actual[0], what);
            return;
        }
        assertEquals(expected.size(), actual.length, what + ": length");
        for (int i = 0; i < actual.length; i++) {
            close(expected.get(i).asDouble(), actual[i], what + "[" + i + "]");
        }
    }

    static void close(JsonNode expected, double[][] actual, String what) {
        assertEquals(expected.size(), actual.length, what + ": rows");
        for (int i = 0; i < actual.length; i++) {
            close(expected.get(i), actual[i], what + "[" + i + "]");
        }
    }

    static Bandwidth bandwidth(JsonNode bwMethod) {
        return bwMethod.isNumber() ? new Bandwidth.Factor(bwMethod.asDouble()) : Bandwidth.parse(bwMethod.asText());
    }
}
