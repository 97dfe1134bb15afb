package io.splicelab.gateway.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.gateway.runs.RunViews.CheckpointAccuracy;
import io.splicelab.gateway.runs.RunViews.CheckpointView;
import io.splicelab.gateway.runs.RunViews.ProgressView;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import io.splicelab.gateway.runs.RunViews.StatsResultView;
import io.splicelab.gateway.runs.RunViews.StatsView;
import io.splicelab.gateway.runs.RunViews.SummariesView;
import io.splicelab.gateway.runs.RunViews.SummaryView;
import io.splicelab.model.events.EventCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunTablesTest {
    static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void checkpointsAndProgressAreTheirJsonFieldsAfterTheRunId() {
        String csv = TidyCsv.toString(RunTables.checkpoints("r1", List.of(new CheckpointView(50, 1, 1.5, 0.4,
                "artifact:runs/r1/step-50.params", 0.81, List.of(new CheckpointAccuracy("test", "carry", null, 0.81,
                        500, "stratified", false))))));
        List<String> lines = csv.lines().toList();
        assertEquals("runId,step,index,trainLoss,trainBatchAccuracy,artifactUri,testAccuracy,accuracies", lines.get(0));
        assertTrue(lines.get(1).startsWith("r1,50,1,1.5,0.4,artifact:runs/r1/step-50.params,0.81,\"[{"), lines.get(1));
        assertTrue(lines.get(1).contains("\"\"evalSet\"\":\"\"test\"\"") && lines.get(1).endsWith("}]\""),
                "a list of records is compact JSON in its field: " + lines.get(1));
        String header = TidyCsv.toString(RunTables.progress("r1", List.of())).strip();
        assertTrue(header.startsWith("runId,step,totalSteps,loss,"), header);
        assertEquals(1 + ProgressView.class.getRecordComponents().length, header.split(",").length, header);
    }

    @Test
    void runsSpreadTheirConfigurationIntoColumns() {
        RunSummary a = new RunSummary("a", "COMPLETED", json("{\"architecture\":\"resnet20\",\"steps\":100}"), 100, 100,
                0.5, 0.9, 10.0, null, T, T, "grp-1", 0.87, 10000, "baseline", List.of("paper", "fmnist"));
        RunSummary b = new RunSummary("b", "FAILED", json("{\"architecture\":\"mlp\",\"seed\":3}"), 5, 100, null, null,
                null, "out of memory, again", T, T, null, null, null, null, List.of());
        List<String> lines = TidyCsv.toString(RunTables.runs(List.of(a, b))).lines().toList();
        assertTrue(lines.get(0).startsWith("runId,status,"), lines.get(0));
        assertTrue(lines.get(0).endsWith(",groupId,testAccuracy,testSamples,name,tags,config.architecture,config.steps,config.seed"), lines.get(0));
        assertTrue(lines.get(1).startsWith("a,COMPLETED,"), lines.get(1));
        assertTrue(lines.get(1).endsWith(",grp-1,0.87,10000,baseline,paper fmnist,resnet20,100,"), lines.get(1));
        assertTrue(lines.get(2).contains(",\"out of memory, again\","), lines.get(2));
        assertTrue(lines.get(2).endsWith(",,,,,,mlp,,3"), lines.get(2));
    }

    @Test
    void summariesHaveOneRowPerLagInLagOrder() {
        SummariesView view = new SummariesView("r1", List.of(new SummaryView("stage1", "test", "carry", List.of(0, 50,
                100), json("{\"100\":0.8,\"50\":0.95}"), 0.875, 100, 0.9, T, 0.97, 0, 1, null, null)));
        assertEquals("runId,cut,evalSet,bnMode,lag,meanRelativeAccuracy,tcScore,tcExcludingInitial,chancePairs,dropLag,"
                + "threshold,steps,updatedAt\n"
                + "r1,stage1,test,carry,50,0.95,0.875,0.97,1,100,0.9,0 50 100,2026-12-02T10:00:00Z\n"
                + "r1,stage1,test,carry,100,0.8,0.875,0.97,1,100,0.9,0 50 100,2026-12-02T10:00:00Z\n",
                TidyCsv.toString(RunTables.summaries(view)));
    }

    @Test
    void statsHaveOneRowPerScalarNamedByVariableAndIndex() {
        StatsView view = new StatsView("r1", List.of(new StatsResultView("spectrum", "/stats-service", "stage1", null,
                null, null, List.of(50),
                "series", json("{\"k\":2}"), json("{\"eigenvalues\":[3.0,1.0],\"densities\":{\"cat\":[[0.1,0.2]]},"
                        + "\"p\":0.01}"), T)));
        List<String> lines = TidyCsv.toString(RunTables.stats(view)).lines().toList();
        assertEquals("runId,analysis,source,cut,probeSet,evalSet,bnMode,steps,shape,updatedAt,parameters,variable,index,"
                + "value", lines.get(0));
        String head = "r1,spectrum,/stats-service,stage1,,,,50,series,2026-12-02T10:00:00Z,\"{\"\"k\"\":2}\",";
        assertEquals(List.of(head + "eigenvalues,0,3.0", head + "eigenvalues,1,1.0",
                head + "densities.cat,\"0,0\",0.1", head + "densities.cat,\"0,1\",0.2", head + "p,,0.01"),
                lines.subList(1, lines.size()));
    }
}
