package io.splicelab.gateway.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.splicelab.gateway.experiments.ExperimentCurves.DiagonalCell;
import io.splicelab.gateway.experiments.ExperimentCurves.ProgressPoint;
import io.splicelab.gateway.experiments.ExperimentCurves.RunCurves;
import io.splicelab.gateway.experiments.ExperimentViews.CurvePoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentCurvesTest {

    @Test
    void aBandIsTheMeanAndSampleSpreadOfTheSeedsAtEachStep() {
        List<CurvePoint> band = ExperimentCurves.band(List.of(Map.of(0, 0.1, 10, 0.5, 20, 0.8),
                Map.of(0, 0.3, 10, 0.7), Map.of(0, 0.2, 10, 0.6, 20, Double.NaN)));
        assertEquals(3, band.size());
        assertEquals(List.of(0, 10, 20), band.stream().map(CurvePoint::step).toList());
        CurvePoint first = band.get(0);
        assertEquals(3, first.n());
        assertEquals(0.2, first.mean(), 1e-12);
        assertEquals(0.1, first.sd(), 1e-12);
        assertEquals(0.1 / Math.sqrt(3), first.se(), 1e-12);
        assertEquals(0.6, band.get(1).mean(), 1e-12);
        // one seed has step 20 (the NaN does not count): its value, no spread
        assertEquals(1, band.get(2).n());
        assertEquals(0.8, band.get(2).mean(), 1e-12);
        assertNull(band.get(2).sd());
        assertNull(band.get(2).se());
    }

    @Test
    void noSeedNoPoint() {
        assertEquals(List.of(), ExperimentCurves.band(List.of()));
        assertEquals(List.of(), ExperimentCurves.band(List.of(Map.of(), Map.of())));
    }

    @Test
    void aRunsCurvesComeFromItsDiagonalCellsAndProgress() {
        RunCurves run = ExperimentCurves.ofRun(List.of(
                new DiagonalCell("stem", "test", "carry", 0, 0.1),
                new DiagonalCell("stage1", "test", "carry", 0, 0.1),
                new DiagonalCell("stem", "test", "recalibrate", 0, 0.9),
                new DiagonalCell("stem", "test", "carry", 50, 0.8),
                new DiagonalCell("stem", "fog-3", "carry", 50, 0.6),
                new DiagonalCell("stem", "fog-5", "carry", 50, 0.4),
                new DiagonalCell("stem", "train", "carry", 50, 0.99),
                new DiagonalCell("stem", "test", "carry", 100, null)),
                List.of(new ProgressPoint(10, 2.0, 0.2), new ProgressPoint(20, 1.5, 0.4)));
        assertEquals(Map.of(0, 0.1, 50, 0.8), run.byMetric().get(ExperimentCurves.TEST_ACCURACY),
                "mode carry, cuts of a step averaged, a missing accuracy left out");
        assertEquals(0.5, run.byMetric().get(ExperimentCurves.CORRUPTED_ACCURACY).get(50), 1e-12,
                "the mean over the corrupted sets; train is not one");
        assertEquals(1, run.byMetric().get(ExperimentCurves.CORRUPTED_ACCURACY).size());
        assertEquals(Map.of(10, 2.0, 20, 1.5), run.byMetric().get(ExperimentCurves.LOSS));
        assertEquals(Map.of(10, 0.2, 20, 0.4), run.byMetric().get(ExperimentCurves.TRAIN_BATCH_ACCURACY));
    }

    @Test
    void withoutCarryTheFirstModeByNameIsRead() {
        RunCurves run = ExperimentCurves.ofRun(List.of(new DiagonalCell("stem", "test", "recalibrate", 0, 0.3),
                new DiagonalCell("stage1", "test", "recalibrate", 0, 0.5), new DiagonalCell("stem", "test", "zeta", 0,
                        0.9)), List.of());
        assertEquals(0.4, run.byMetric().get(ExperimentCurves.TEST_ACCURACY).get(0), 1e-12);
    }

    @Test
    void aVariantHasEveryMetricOverItsSeeds() {
        RunCurves a = ExperimentCurves.ofRun(List.of(new DiagonalCell("stem", "test", "carry", 50, 0.8)),
                List.of(new ProgressPoint(10, 2.0, 0.2)));
        RunCurves b = ExperimentCurves.ofRun(List.of(new DiagonalCell("stem", "test", "carry", 50, 0.6)),
                List.of(new ProgressPoint(10, 1.0, 0.4)));
        Map<String, List<CurvePoint>> v = ExperimentCurves.variant(List.of(a, b));
        assertEquals(ExperimentCurves.METRICS, List.copyOf(v.keySet()));
        assertEquals(new CurvePoint(50, 2, 0.7, r(Math.sqrt(0.02)), 0.1), round(v.get("testAccuracy").get(0)));
        assertEquals(1.5, v.get("loss").get(0).mean(), 1e-12);
        assertEquals(List.of(), v.get("corruptedAccuracy"));
    }

    private static CurvePoint round(CurvePoint p) {
        return new CurvePoint(p.step(), p.n(), r(p.mean()), r(p.sd()), r(p.se()));
    }

    private static double r(double x) {
        return Math.round(x * 1e9) / 1e9;
    }
}
