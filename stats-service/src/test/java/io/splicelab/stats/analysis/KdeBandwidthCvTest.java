package io.splicelab.stats.analysis;

import static io.splicelab.stats.analysis.Fixtures.close;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KdeBandwidthCvTest {

    @Test
    void leaveOneOutScoreIsTheExplicitFormula() {
        double[][] x = {{0.1}, {0.7}, {1.9}, {-0.4}, {1.2}};
        double factor = 0.6;
        GaussianKde full = new GaussianKde(x, new Bandwidth.Factor(factor));
        double h = full.bandwidthPerAxis()[0];
        double expected = 0;
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                if (j != i) {
                    double u = (x[i][0] - x[j][0]) / h;
                    s += Math.exp(-0.5 * u * u) / (h * Math.sqrt(2 * Math.PI));
                }
            }
            expected += Math.log(s / (x.length - 1));
        }
        close(expected, KdeBandwidthCv.looLogLikelihood(x, null, factor), "LOO log likelihood");
    }

    @Test
    void selectsTheBestFactorNearScottForGaussianData() {
        Random rnd = new Random(12);
        double[][] x = new double[300][2];
        for (double[] row : x) {
            row[0] = rnd.nextGaussian();
            row[1] = 0.5 * row[0] + rnd.nextGaussian();
        }
        KdeBandwidthCv.Result r = KdeBandwidthCv.select(x, null);
        for (double ll : r.logLikelihoods()) {
            assertTrue(r.logLikelihood() >= ll);
        }
        double scott = new GaussianKde(x, Bandwidth.SCOTT).factor();
        assertTrue(r.factor() > 0.5 * scott && r.factor() < 2 * scott, "cv " + r.factor() + " vs scott " + scott);
    }
}
