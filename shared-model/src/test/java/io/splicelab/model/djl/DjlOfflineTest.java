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
        assertEquals("true", DjlOffline.launchEnvironment().get("OPT_OUT_TRACKING"));
    }

    @Test
    void everyJvmGetsTheBestInstructionSetUnlessTheUserChose() {
        var env = DjlOffline.launchEnvironment();
        String chosen = System.getenv(DjlOffline.DNNL_ISA_VARIABLE);
        if (chosen == null || chosen.isBlank()) {
            assertEquals("ALL", env.get(DjlOffline.DNNL_ISA_VARIABLE));
        } else { // the build's test JVMs run with the user's (or the pom's) choice: it wins
            assertEquals(chosen, env.get(DjlOffline.DNNL_ISA_VARIABLE));
        }
        assertEquals(System.getenv("ATEN_CPU_CAPABILITY"), env.get("ATEN_CPU_CAPABILITY"));
        assertEquals("true", env.get("OPT_OUT_TRACKING"));
    }
}
