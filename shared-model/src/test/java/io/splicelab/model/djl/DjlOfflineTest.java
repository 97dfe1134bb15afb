package io.splicelab.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void everyJvmKeepsFreedActivationsInItsMallocArenasUnlessTheUserChose() {
        var env = DjlOffline.launchEnvironment();
        for (String variable : new String[] {DjlOffline.MMAP_THRESHOLD_VARIABLE, DjlOffline.TRIM_THRESHOLD_VARIABLE}) {
            String chosen = System.getenv(variable);
            String expected = chosen != null && !chosen.isBlank() ? chosen
                    : variable.equals(DjlOffline.MMAP_THRESHOLD_VARIABLE) ? DjlOffline.MMAP_THRESHOLD
                    : DjlOffline.TRIM_THRESHOLD;
            assertEquals(expected, env.get(variable), variable);
        }
        // glibc ignores an mmap threshold above 32 MiB (HEAP_MAX_SIZE / 2 on 64-bit): the default must not exceed it,
        // and must lie above the largest activation of a ResNet-20 batch of 100 (16 x 32 x 32 floats per image)
        long threshold = Long.parseLong(DjlOffline.MMAP_THRESHOLD);
        assertTrue(threshold <= 32L << 20 && threshold > 100L * 16 * 32 * 32 * 4, DjlOffline.MMAP_THRESHOLD);
        assertTrue(Long.parseLong(DjlOffline.TRIM_THRESHOLD) >= 2 * threshold, DjlOffline.TRIM_THRESHOLD);
    }
}
