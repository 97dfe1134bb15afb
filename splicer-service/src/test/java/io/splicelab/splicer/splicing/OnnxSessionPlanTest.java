package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

class OnnxSessionPlanTest {
    @Test
    void zeroThreadsMeansOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), OnnxSessionPlan.DEFAULT.threads());
        assertEquals(3, new OnnxSessionPlan(3, "basic").threads());
    }

    @Test
    void levelsAreReadWhateverTheirCase() throws Exception {
        assertEquals("extended", new OnnxSessionPlan(0, " Extended ").optimisation());
        try (OrtSession.SessionOptions options = new OnnxSessionPlan(2, "all").options()) {
            assertTrue(options != null);
        }
    }

    @Test
    void badSettingsStopTheServiceAtStartUp() {
        IllegalArgumentException level = assertThrows(IllegalArgumentException.class,
                () -> new OnnxSessionPlan(0, "fastest"));
        assertTrue(level.getMessage().contains("onnx-optimization"), level.getMessage());
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> new OnnxSessionPlan(-1, "all"));
        assertTrue(threads.getMessage().contains("onnx-threads"), threads.getMessage());
    }
}
