package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** TV distance between two KDEs on the documented grid, against the numpy reference (1-D and 2-D). */
class TotalVariationTest {

    @TestFactory
    Stream<DynamicTest> matchesReferenceIn1d() {
        return Fixtures.cases("tv_kde_1d.json", "cases", c -> {
            Bandwidth bw = Fixtures.bandwidth(c.get("bw_method"));
            GaussianKde a = new GaussianKde(Fixtures.column(c.get("a")), bw);
            GaussianKde b = new GaussianKde(Fixtures.column(c.get("b")), bw);
            TotalVariation.Result r = TotalVariation.between(a, b, c.get("grid_size").asInt());
            close(c.get("factor_a").asDouble(), a.factor(), "factor_a");
            close(c.get("factor_b").asDouble(), b.factor(), "factor_b");
            close(c.get("h_a").asDouble(), a.bandwidthPerAxis()[0], "h_a");
            close(c.get("h_b").asDouble(), b.bandwidthPerAxis()[0], "h_b");
            close(c.get("lo").asDouble(), r.grid().lo()[0], "lo");
            close(c.get("hi").asDouble(), r.grid().hi()[0], "hi");
            close(c.get("dx").asDouble(), r.grid().dx()[0], "dx");
            assertEquals(c.get("grid_size").asInt(), r.p().length);
            close(c.get("p_grid"), r.p(), "p_grid");
            close(c.get("q_grid"), r.q(), "q_grid");
            close(c.get("tv").asDouble(), r.tv(), "tv");
            if (c.get("tv").asDouble() == 0.0) {
                assertEquals(0.0, r.tv(), "identical samples give exactly 0");
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> matchesReferenceIn2d() {
        return Fixtures.cases("tv_kde_2d.json", "cases", c -> {
            Bandwidth bw = Fixtures.bandwidth(c.get("bw_method"));
            GaussianKde a = new GaussianKde(Fixtures.matrix(c.get("a")), bw);
            GaussianKde b = new GaussianKde(Fixtures.matrix(c.get("b")), bw);
            int g = c.get("grid_size").asInt();
            TotalVariation.Result r = TotalVariation.between(a, b, g);
            close(c.get("factor_a").asDouble(), a.factor(), "factor_a");
            close(c.get("factor_b").asDouble(), b.factor(), "factor_b");
            close(c.get("covariance_a"), a.covariance(), "covariance_a");
            close(c.get("covariance_b"), b.covariance(), "covariance_b");
            close(c.get("h_a"), a.bandwidthPerAxis(), "h_a");
            close(c.get("h_b"), b.bandwidthPerAxis(), "h_b");
            close(c.get("lo"), r.grid().lo(), "lo");
            close(c.get("hi"), r.grid().hi(), "hi");
            close(c.get("dx"), r.grid().dx(), "dx");
            assertEquals(g * g, r.p().length);
            close(c.get("p_grid"), r.p(), "p_grid");
            close(c.get("q_grid"), r.q(), "q_grid");
            close(c.get("tv").asDouble(), r.tv(), "tv");
        });
    }
}
