package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** GaussianKde against scipy.stats.gaussian_kde: every case, every bandwidth, every field of the fixtures. */
class GaussianKdeTest {

    @TestFactory
    Stream<DynamicTest> matchesScipyIn1d() {
        return cases("kde_1d.json", true);
    }

    @TestFactory
    Stream<DynamicTest> matchesScipyIn2d() {
        return cases("kde_2d.json", false);
    }

    private Stream<DynamicTest> cases(String file, boolean oneD) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : Fixtures.read(file).get("cases")) {
            double[][] dataset = Fixtures.matrix(c.get("dataset"));
            double[] weights = c.get("weights").isNull() ? null : Fixtures.vector(c.get("weights"));
            double[][] points = Fixtures.matrix(c.get("points"));
            double[][] logPoints = Fixtures.matrix(c.get("logpdf_points"));
            for (JsonNode r : c.get("results")) {
                String name = c.get("name").asText() + " / " + r.get("bw_method").asText();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    GaussianKde kde = new GaussianKde(dataset, weights, Fixtures.bandwidth(r.get("bw_method")));
                    assertEquals(c.get("d").asInt(), kde.d());
                    assertEquals(c.get("n").asInt(), kde.n());
                    close(r, kde.neff(), "neff");
                    close(r, kde.factor(), "factor");
                    close(r.get("data_covariance"), kde.dataCovariance(), "data_covariance");
                    close(r.get("covariance"), kde.covariance(), "covariance");
                    close(r.get("inv_cov"), kde.inverseCovariance(), "inv_cov");
                    close(r.get("bandwidth_per_axis"), kde.bandwidthPerAxis(), "bandwidth_per_axis");
                    close(r, kde.logDet(), "log_det");
                    close(r.get("pdf"), kde.pdf(points), "pdf");
                    double[] logpdf = kde.logpdf(logPoints);
                    close(r.get("logpdf"), logpdf, "logpdf");
                    for (double v : logpdf) {
                        assertTrue(Double.isFinite(v), "logpdf must stay finite where pdf underflows");
                    }
                    if (oneD) {
                        for (JsonNode box : r.get("integrate_box_1d")) {
                            close(box.get("value").asDouble(),
                                    kde.integrateBox1d(box.get("low").asDouble(), box.get("high").asDouble()),
                                    "integrate_box_1d" + box);
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void farPointsUnderflowInPdfButNotInLogpdf() {
        GaussianKde kde = new GaussianKde(new double[][] {{0}, {1}, {2}}, Bandwidth.SCOTT);
        assertEquals(0.0, kde.pdf(1e3));
        assertTrue(Double.isFinite(kde.logpdf(1e3)));
    }

    @Test
    void refusesDegenerateInput() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianKde(new double[][] {{1}}, Bandwidth.SCOTT));
        assertThrows(IllegalArgumentException.class,
                () -> new GaussianKde(new double[][] {{1, 2}, {2, 4}, {3, 6}}, Bandwidth.SCOTT));
        assertThrows(IllegalArgumentException.class,
                () -> new GaussianKde(new double[][] {{1}, {2}}, new double[] {0, 0}, Bandwidth.SCOTT));
        assertThrows(IllegalArgumentException.class, () -> Bandwidth.parse("wide"));
    }
}
