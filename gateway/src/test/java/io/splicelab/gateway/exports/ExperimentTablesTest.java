package io.splicelab.gateway.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.gateway.experiments.ExperimentViews.AnisotropyView;
import io.splicelab.gateway.experiments.ExperimentViews.CurvePoint;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentCurvesView;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentDetail;
import io.splicelab.gateway.experiments.ExperimentViews.RunRef;
import io.splicelab.gateway.experiments.ExperimentViews.VariantCurves;
import io.splicelab.gateway.experiments.ExperimentViews.VariantView;
import io.splicelab.gateway.experiments.Stat;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentTablesTest {

    @Test
    void variantsAreOneRowPerFigureCutAndSet() {
        VariantView v = new VariantView("baseline", RunTablesTest.json("{}"), List.of(), new Stat(2, 0.8, 0.1, 0.07),
                null, Map.of("test", new Stat(2, 0.8, 0.1, 0.07)), Map.of("stem", Map.of("test", new Stat(1, 0.9,
                        null, null))), Map.of(), new AnisotropyView(1, new Stat(1, 30, null, null), List.of(1e-9), 5,
                        new Stat(1, 0.7, null, null), new Stat(1, 0.1, null, null), List.of(0.01)));
        ExperimentDetail e = new ExperimentDetail("exp-1", "x", "experiment", "finished", null, List.of(1L), 1, 1,
                List.of(v), RunTablesTest.T);
        List<String> lines = TidyCsv.toString(ExperimentTables.variants(e)).lines().toList();
        assertEquals("experimentId,variant,figure,cut,evalSet,n,mean,sd,se", lines.get(0));
        assertEquals(List.of("exp-1,baseline,testAccuracy,,,2,0.8,0.1,0.07", "exp-1,baseline,accuracy,,test,2,0.8,0.1,0.07",
                "exp-1,baseline,tc,stem,test,1,0.9,,", "exp-1,baseline,anisotropy.ledoitWolfZ,,,1,30.0,,",
                "exp-1,baseline,anisotropy.topKShare,,,1,0.7,,", "exp-1,baseline,anisotropy.nullTopKShare,,,1,0.1,,"),
                lines.subList(1, lines.size()), "no row for the missing corrupted accuracy");
    }

    @Test
    void curvesAreOneRowPerVariantMetricAndStep() {
        ExperimentCurvesView view = new ExperimentCurvesView("exp-1", "x", List.of("testAccuracy", "loss"),
                List.of(new VariantCurves("a", 2, Map.of("testAccuracy", List.of(new CurvePoint(0, 2, 0.1, 0.01, 0.007),
                        new CurvePoint(50, 1, 0.8, null, null)), "loss", List.of(new CurvePoint(10, 2, 2.0, 0.5, 0.35)))),
                        new VariantCurves("b", 0, Map.of())));
        assertEquals("experimentId,variant,metric,step,n,mean,sd,se\nexp-1,a,testAccuracy,0,2,0.1,0.01,0.007\n"
                + "exp-1,a,testAccuracy,50,1,0.8,,\nexp-1,a,loss,10,2,2.0,0.5,0.35\n",
                TidyCsv.toString(ExperimentTables.curves(view)));
    }

    @Test
    void runsCarryTheirVariantAndSeedBeforeTheRunColumns() {
        RunSummary a = new RunSummary("r1", "COMPLETED", RunTablesTest.json("{\"seed\":1}"), 10, 10, 0.5, 0.9, 1.0, null,
                RunTablesTest.T, RunTablesTest.T, null, null, null, null, List.of());
        List<String> lines = TidyCsv.toString(ExperimentTables.runs("exp-1", List.of(new RunRef("r1", "baseline", 1),
                new RunRef("gone", "baseline", 2)), List.of(a))).lines().toList();
        assertEquals(2, lines.size(), "a deleted run is left out: " + lines);
        assertTrue(lines.get(0).startsWith("experimentId,variant,seed,runId,status,"), lines.get(0));
        assertTrue(lines.get(1).startsWith("exp-1,baseline,1,r1,COMPLETED,"), lines.get(1));
    }
}
