package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static io.splicelab.stats.analysis.Fixtures.closeP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Mauchly, Ledoit-Wolf, Srivastava and the spectrum summaries against numpy/scipy. */
class SphericityTest {

    static void checkSpectrum(JsonNode expected, Spectrum s) {
        assertEquals(expected.get("rank").asInt(), s.rank(), "rank");
        close(expected.get("eigenvalues"), s.eigenvalues(), "eigenvalues");
        close(expected, s.total(), "total");
        expected.get("topk_explained").fields().forEachRemaining(e -> close(e.getValue().asDouble(),
                s.topKExplained(Integer.parseInt(e.getKey())), "topk_explained[" + e.getKey() + "]"));
        close(expected, s.participationRatio(), "participation_ratio");
        close(expected, s.effectiveRankEntropy(), "effective_rank_entropy");
    }

    @TestFactory
    Stream<DynamicTest> mauchlyMatchesScipy() {
        return Fixtures.cases("mauchly.json", "cases", c -> {
            double[][] x = Fixtures.matrix(c.get("X"));
            Sphericity.Mauchly m = Sphericity.mauchly(x);
            assertEquals(c.get("n").asInt(), m.n());
            assertEquals(c.get("p").asInt(), m.p());
            close(c.get("S"), Matrices.scatter(Matrices.centered(x), x.length - 1), "S");
            close(c, m.traceS(), "tr_S");
            close(c, m.w(), "W");
            close(c, m.lnW(), "ln_W");
            close(c, m.correction(), "correction_c");
            close(c, m.statistic(), "statistic");
            assertEquals(c.get("df").asInt(), m.df());
            closeP(c, m.pValue(), "p_value");
            close(c, m.logPValue(), "log_p_value");
            checkSpectrum(c.get("spectrum"), Spectrum.of(x));
        });
    }

    @TestFactory
    Stream<DynamicTest> highDimensionalTestsMatchScipy() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(Fixtures.dir())) {
            for (java.nio.file.Path f : files.filter(p -> p.getFileName().toString().matches("highdim_.*\\.json"))
                    .sorted().toList()) {
                JsonNode c = Fixtures.read(f.getFileName().toString());
                tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    int n = c.get("N").asInt();
                    int p = c.get("p").asInt();
                    double[][] fromBase64 = base64Matrix(c.get("X_base64").asText(), n, p, c.get("X_sha256").asText());
                    double[][] x = csv(c.get("X_csv").asText());
                    assertEquals(n, x.length);
                    for (int i = 0; i < n; i++) {
                        assertArrayEquals(fromBase64[i], x[i], 0.0, "CSV and base64 hold the same doubles");
                    }
                    if (c.has("X")) {
                        for (int i = 0; i < n; i++) {
                            assertArrayEquals(Fixtures.vector(c.get("X").get(i)), x[i], 0.0);
                        }
                    }
                    Sphericity.HighDimensional h = Sphericity.highDimensional(x);
                    assertEquals(c.get("n_dof").asInt(), h.nDof());
                    close(c, h.traceS(), "tr_S");
                    close(c, h.traceS2(), "tr_S2");
                    close(c, h.a1(), "a1");
                    JsonNode lw = c.get("ledoit_wolf");
                    close(lw.get("U").asDouble(), h.ledoitWolf().u(), "LW U");
                    close(lw.get("z").asDouble(), h.ledoitWolf().z(), "LW z");
                    closeP(lw.get("p_value").asDouble(), h.ledoitWolf().pValue(), "LW p_value");
                    close(lw.get("log_p_value").asDouble(), h.ledoitWolf().logPValue(), "LW log_p_value");
                    JsonNode sv = c.get("srivastava");
                    close(sv.get("a2").asDouble(), h.srivastava().a2(), "Srivastava a2");
                    close(sv.get("T").asDouble(), h.srivastava().t(), "Srivastava T");
                    closeP(sv.get("p_value").asDouble(), h.srivastava().pValue(), "Srivastava p_value");
                    close(sv.get("log_p_value").asDouble(), h.srivastava().logPValue(), "Srivastava log_p_value");
                    checkSpectrum(c.get("spectrum"), Spectrum.of(x));
                }));
            }
        }
        assertEquals(3, tests.size(), "three high-dimensional fixtures");
        return tests.stream();
    }

    static double[][] base64Matrix(String b64, int n, int p, String sha256) throws Exception {
        byte[] bytes = Base64.getDecoder().decode(b64);
        assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        DoubleBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        assertEquals((long) n * p, buf.remaining());
        double[][] x = new double[n][p];
        for (double[] row : x) {
            buf.get(row);
        }
        return x;
    }

    static double[][] csv(String name) throws IOException {
        return Files.readAllLines(Fixtures.dir().resolve(name)).stream().filter(l -> !l.isBlank())
                .map(l -> Stream.of(l.split(",")).mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
    }

    @Test
    void mauchlyRefusesTooFewSamples() {
        assertThrows(IllegalArgumentException.class, () -> Sphericity.mauchly(new double[][] {{1, 2}, {3, 5}}));
    }

    @Test
    void logTailsStayFiniteWherePValuesUnderflow() {
        assertEquals(0.0, Tails.normalSf(677));
        close(-0.5 * 677 * 677 - Math.log(677) - 0.5 * Math.log(2 * Math.PI), Tails.normalLogSf(677), "logsf");
        close(Math.log(Tails.normalSf(19.99)), Tails.normalLogSf(19.99), "logsf below switch");
        close(Math.log(Tails.normalSf(20.01)), Tails.normalLogSf(20.01), "logsf above switch");
    }
}
