package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static io.splicelab.stats.analysis.Fixtures.closeP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class KolmogorovSmirnovTest {

    @TestFactory
    Stream<DynamicTest> twoSampleMatchesScipy() {
        return Fixtures.cases("ks.json", "two_sample", c -> {
            KolmogorovSmirnov.TwoSample r = KolmogorovSmirnov.twoSample(Fixtures.vector(c.get("x")),
                    Fixtures.vector(c.get("y")));
            assertEquals(c.get("m").asInt(), r.m());
            assertEquals(c.get("n").asInt(), r.n());
            close(c.get("statistic").asDouble(), r.statistic(), "statistic");
            assertEquals(c.get("D_times_mn").asLong(), r.dTimesMn());
            close(c.get("statistic_location").asDouble(), r.location(), "statistic_location");
            assertEquals(c.get("statistic_sign").asInt(), r.sign());
            closeP(c.get("p_exact_ge").asDouble(), r.pExactGe(), "p_exact_ge");
            closeP(c.get("pvalue_exact").asDouble(), r.pExactGe(), "pvalue_exact");
            closeP(c.get("p_exact_gt").asDouble(), r.pExactGt(), "p_exact_gt");
            assertEquals(c.get("n_eff_asymp").asInt(), r.nEffAsymp());
            closeP(c.get("pvalue_asymp").asDouble(), r.pAsymp(), "pvalue_asymp");
            closeP(c.get("p_kolmogorov_limit").asDouble(), r.pKolmogorovLimit(), "p_kolmogorov_limit");
            closeP(c.get("pvalue_auto").asDouble(), r.pValue(), "pvalue_auto");
        });
    }

    @TestFactory
    Stream<DynamicTest> oneSampleMatchesScipy() {
        return Fixtures.cases("ks.json", "one_sample", c -> {
            KolmogorovSmirnov.OneSample r = KolmogorovSmirnov.oneSample(Fixtures.vector(c.get("x")),
                    new NormalDistribution(null, 0, 1));
            assertEquals(c.get("n").asInt(), r.n());
            close(c.get("statistic").asDouble(), r.statistic(), "statistic");
            close(c.get("D_plus").asDouble(), r.dPlus(), "D_plus");
            close(c.get("D_minus").asDouble(), r.dMinus(), "D_minus");
            close(c.get("statistic_location").asDouble(), r.location(), "statistic_location");
            assertEquals(c.get("statistic_sign").asInt(), r.sign());
            closeP(c.get("pvalue_exact").asDouble(), r.pExact(), "pvalue_exact");
            closeP(c.get("pvalue_auto").asDouble(), r.pExact(), "pvalue_auto");
            closeP(c.get("pvalue_asymp").asDouble(), r.pAsymp(), "pvalue_asymp");
        });
    }
}
