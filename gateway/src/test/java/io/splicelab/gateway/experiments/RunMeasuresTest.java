package io.splicelab.gateway.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.gateway.experiments.ExperimentAggregation.Member;
import io.splicelab.gateway.experiments.ExperimentViews.VariantView;
import io.splicelab.gateway.experiments.RunMeasures.Cell;
import io.splicelab.model.events.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The figures of one run from its cells and noise results, and their summary over seeds. */
class RunMeasuresTest {

    /** A grid over steps 0, 10, 20 on one set: diagonal accuracy acc[deep], relative accuracy rel[shallow][deep]. */
    private static List<Cell> grid(String cut, String set, double[] acc, double[][] rel) {
        int[] steps = {0, 10, 20};
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out.add(new Cell(cut, set, "carry", steps[i], steps[j], 500, i == j ? acc[j] : acc[j] * rel[i][j],
                        rel[i][j]));
            }
        }
        return out;
    }

    private static final double[][] REL = {{1, 0.3, 0.5}, {0.9, 1, 0.95}, {0.8, 0.85, 1}};

    private static JsonNode noise(double lwZ, double lwP, double share, double nullMean, double mcP) {
        try {
            return EventCodec.mapper().readTree("{\"ledoitWolf\":{\"z\":" + lwZ + ",\"pValue\":" + lwP + "},"
                    + "\"monteCarloNull\":[{\"k\":1,\"observed\":0.3,\"nullMean\":0.05,\"pValue\":0.002},"
                    + "{\"k\":5,\"observed\":" + share + ",\"nullMean\":" + nullMean + ",\"pValue\":" + mcP + "},"
                    + "{\"k\":10,\"observed\":0.9,\"nullMean\":0.3,\"pValue\":0.002}]}");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void finalAccuracyIsTheLatestDiagonalAndTcLeavesTheInitialCheckpointOut() {
        List<Cell> cells = new ArrayList<>(grid("stage1", "test", new double[] {0.1, 0.7, 0.8}, REL));
        cells.addAll(grid("stage1", "fog-3", new double[] {0.1, 0.5, 0.6}, REL));
        cells.addAll(grid("stage1", "contrast-3", new double[] {0.1, 0.3, 0.4}, REL));
        // another BatchNorm mode is not read
        cells.add(new Cell("stage1", "test", "recalibrate", 20, 20, 500, 0.99, 1.0));
        RunMeasures m = RunMeasures.of("r", "baseline", 1, "COMPLETED", "complete", cells,
                Map.of(20, noise(9.5, 1e-20, 0.7, 0.1, 0.002), 10, noise(1, 0.5, 0.2, 0.1, 0.4)), 10);
        assertEquals(0.8, m.accuracy().get("test"), 1e-12);
        assertEquals(20, m.accuracyStep().get("test"));
        assertEquals(0.5, m.corruptedAccuracy(), 1e-12);
        // forward hybrids with a trained shallow part: only (10, 20)
        assertEquals(0.95, m.tc().get("stage1").get("test"), 1e-12);
        // the whole forward triangle: (0,10), (0,20), (10,20)
        assertEquals((0.3 + 0.5 + 0.95) / 3, m.tcWithInitial().get("stage1").get("test"), 1e-12);
        assertEquals(0.95, m.tcOverCuts("test"), 1e-12);
        assertEquals(0.95, m.tcOverCutsCorrupted(), 1e-12);
        assertNull(m.tcOverCuts("train"));
        // the latest noise sample, k = 5
        assertEquals(20, m.anisotropy().step());
        assertEquals(9.5, m.anisotropy().ledoitWolfZ());
        assertEquals(5, m.anisotropy().k());
        assertEquals(0.7, m.anisotropy().topKShare());
        assertEquals(0.1, m.anisotropy().nullTopKShare());
        assertEquals(0.002, m.anisotropy().monteCarloP());
    }

    @Test
    void pairsWhoseDeepDonorIsAtChanceAreLeftOutOfTheCellsTc() {
        // chance + 2 SE with 500 images and 10 classes: 0.1268; the checkpoint at step 20 is at chance on fog-3
        List<Cell> cells = new ArrayList<>(grid("stage1", "fog-3", new double[] {0.1, 0.5, 0.12}, REL));
        cells.addAll(grid("stage1", "test", new double[] {0.1, 0.5, 0.13}, REL));
        RunMeasures m = RunMeasures.of("r", "baseline", 1, "COMPLETED", "complete", cells, Map.of(), 10);
        assertNull(m.tc().get("stage1").get("fog-3"), "(10, 20) has a deep donor at chance");
        assertEquals(0.3, m.tcWithInitial().get("stage1").get("fog-3"), 1e-12, "only (0, 10) is left");
        assertEquals(0.95, m.tc().get("stage1").get("test"), 1e-12);
        assertEquals(true, RunMeasures.atChance(0.1268, 10, 500));
        assertEquals(false, RunMeasures.atChance(0.127, 10, 500));
    }

    @Test
    void theSplicersSummariesWinOverTheCells() {
        List<Cell> cells = new ArrayList<>(grid("stage1", "test", new double[] {0.1, 0.7, 0.8}, REL));
        cells.addAll(grid("stage1", "train", new double[] {0.1, 0.7, 0.8}, REL));
        RunMeasures m = RunMeasures.of("r", "baseline", 1, "COMPLETED", "complete", cells, List.of(
                new RunMeasures.Summary("stage1", "test", "carry", 0.61, 0.93),
                new RunMeasures.Summary("stage1", "test", "recalibrate", 0.1, 0.1),
                new RunMeasures.Summary("stage1", "train", "carry", Double.NaN, Double.NaN),
                new RunMeasures.Summary("stage2", "test", "carry", 0.5, null)), Map.of(), 10);
        assertEquals(0.93, m.tc().get("stage1").get("test"), 1e-12);
        assertEquals(0.61, m.tcWithInitial().get("stage1").get("test"), 1e-12);
        // NaN: every pair was at chance, no figure; a summary without the field leaves the cells' figure
        assertNull(m.tc().get("stage1").get("train"));
        assertNull(m.tc().get("stage2"));
        assertEquals(0.5, m.tcWithInitial().get("stage2").get("test"), 1e-12);
    }

    @Test
    void aVariantIsSummarisedOverItsSeeds() {
        List<Member> members = new ArrayList<>();
        double[] finals = {0.80, 0.82, 0.84};
        for (int s = 0; s < 3; s++) {
            RunMeasures m = RunMeasures.of("r" + s, "baseline", s + 1, "COMPLETED", "complete",
                    grid("stage1", "test", new double[] {0.1, 0.7, finals[s]}, REL), Map.of(), 10);
            members.add(new Member(m, 20, 20));
        }
        members.add(new Member(RunMeasures.of("r9", "baseline", 9, "RUNNING", null, List.of(), Map.of(), 10), 3, 20));
        VariantView v = ExperimentAggregation.variant("baseline", EventCodec.mapper().createObjectNode(), members);
        assertEquals(3, v.testAccuracy().n());
        assertEquals(0.82, v.testAccuracy().mean(), 1e-12);
        assertEquals(0.02, v.testAccuracy().sd(), 1e-12);
        assertEquals(0.02 / Math.sqrt(3), v.testAccuracy().se(), 1e-12);
        assertNull(v.corruptedAccuracy());
        assertEquals(0.95, v.tc().get("stage1").get("test").mean(), 1e-12);
        assertEquals(0.0, v.tc().get("stage1").get("test").sd(), 1e-12);
        assertNull(v.anisotropy());
        assertEquals(4, v.runs().size());
        assertEquals(List.of(true, true, true, false), v.runs().stream().map(ExperimentViews.RunView::settled)
                .toList());
    }

    @Test
    void statOfOneValueHasNoSpread() {
        Stat s = Stat.of(java.util.Arrays.asList(0.5, null, Double.NaN));
        assertEquals(1, s.n());
        assertNull(s.sd());
        assertNull(Stat.of(List.of()));
    }

    @Test
    void settledMeansFinishedWithTheGridDone() {
        assertEquals(false, ExperimentAggregation.settled("COMPLETED", "waiting"));
        assertEquals(true, ExperimentAggregation.settled("COMPLETED", "incomplete"));
        assertEquals(true, ExperimentAggregation.settled("CANCELLED", "waiting"));
        assertEquals(false, ExperimentAggregation.settled("RUNNING", "complete"));
    }
}
