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
            close(c, r.statistic(), "statistic");
            assertEquals(c.get("D_times_mn").asLong(), r.dTimesMn());
            close(c, r.location(), "statistic_location");
            assertEquals(c.get("statistic_sign").asInt(), r.sign());
            closeP(c, r.pExactGe(), "p_exact_ge", "pvalue_exact");
            closeP(c, r.pExactGt(), "p_exact_gt");
            assertEquals(c.get("n_eff_asymp").asInt(), r.nEffAsymp());
            closeP(c, r.pAsymp(), "pvalue_asymp");
            closeP(c, r.pKolmogorovLimit(), "p_kolmogorov_limit");
            closeP(c, r.pValue(), "pvalue_auto");
        });
    }

    @TestFactory
    Stream<DynamicTest> oneSampleMatchesScipy() {
        return Fixtures.cases("ks.json", "one_sample", c -> {
            KolmogorovSmirnov.OneSample r = KolmogorovSmirnov.oneSample(Fixtures.vector(c.get("x")),
                    new NormalDistribution(null, 0, 1));
            assertEquals(c.get("n").asInt(), r.n());
            close(c, r.statistic(), "statistic");
            close(c, r.dPlus(), "D_plus");
            close(c, r.dMinus(), "D_minus");
            close(c, r.location(), "statistic_location");
            assertEquals(c.get("statistic_sign").asInt(), r.sign());
            closeP(c, r.pExact(), "pvalue_exact", "pvalue_auto");
            closeP(c, r.pAsymp(), "pvalue_asymp");
        });
    }
}
