package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
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
        close(c, r.tv(), "tv");
        return r;
    }
}
