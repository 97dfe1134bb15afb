package io.splicelab.gateway.hybrids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.features.HybridPredictions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PredictionsOutputTest {
    private static final HybridPredictions P = HybridPredictions.of(
            new float[][] {{0.5f, 2.5f, -1f}, {3f, 3f, 1f}, {1f, Float.NaN, 0f}}, new int[] {1, 2, 0},
            new int[] {4711, 3, 0});
    private static final PredictionsOutput.CellKey CELL = new PredictionsOutput.CellKey("run-1", "stage1", "fog-3",
            "carry", 100, 200);

    @Test
    void jsonHasTheCellsKeyAndOneObjectPerImageInEvaluationOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PredictionsOutput.json(CELL, P, out);
        JsonNode json = EventCodec.mapper().readTree(out.toByteArray());
        assertEquals("run-1", json.get("runId").asText());
        assertEquals("stage1", json.get("cut").asText());
        assertEquals("fog-3", json.get("evalSet").asText());
        assertEquals("carry", json.get("bnMode").asText());
        assertEquals(100, json.get("shallowStep").asInt());
        assertEquals(200, json.get("deepStep").asInt());
        assertEquals(3, json.get("samples").asInt());
        assertTrue(json.get("margin").asText().contains("top-1 logit - top-2 logit"));
        JsonNode rows = json.get("predictions");
        assertEquals(3, rows.size());
        assertEquals("{\"splitIndex\":4711,\"label\":1,\"predicted\":1,\"logitMargin\":2.0}", rows.get(0).toString());
        assertEquals("{\"splitIndex\":3,\"label\":2,\"predicted\":0,\"logitMargin\":0.0}", rows.get(1).toString());
        assertTrue(rows.get(2).get("logitMargin").isNull(), "a margin that is not finite is null: " + rows.get(2));
    }

    @Test
    void csvIsAHeaderAndOneLinePerImage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PredictionsOutput.csv(P, out);
        assertEquals("""
                splitIndex,label,predicted,logitMargin
                4711,1,1,2.0
                3,2,0,0.0
                0,0,0,
                """, out.toString(StandardCharsets.UTF_8));
    }
}
