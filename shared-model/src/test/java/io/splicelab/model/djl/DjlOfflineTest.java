package io.splicelab.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DjlOfflineTest {
    @Test
    void switchesDjlOfflineAndOptsOutOfTracking() {
        System.clearProperty("ai.djl.offline");
        System.clearProperty("OPT_OUT_TRACKING");
        DjlOffline.configure();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
        assertEquals("true", DjlOffline.launchEnvironment(DjlOffline.Workload.TRAINING).get("OPT_OUT_TRACKING"));
    }

    @Test
    void trainingIsCappedAtAvx2AndInferenceIsNotUnlessTheUserChose() {
        var training = DjlOffline.launchEnvironment(DjlOffline.Workload.TRAINING);
        var inference = DjlOffline.launchEnvironment(DjlOffline.Workload.INFERENCE);
        String chosen = System.getenv(DjlOffline.DNNL_ISA_VARIABLE);
        if (chosen == null || chosen.isBlank()) {
            assertEquals("AVX2", training.get(DjlOffline.DNNL_ISA_VARIABLE));
            assertEquals("ALL", inference.get(DjlOffline.DNNL_ISA_VARIABLE));
        } else { // the build's test JVMs run with the user's (or the pom's) choice: it wins everywhere
            assertEquals(chosen, training.get(DjlOffline.DNNL_ISA_VARIABLE));
            assertEquals(chosen, inference.get(DjlOffline.DNNL_ISA_VARIABLE));
        }
        assertEquals("true", inference.get("OPT_OUT_TRACKING"));
    }
}
