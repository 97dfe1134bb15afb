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
}
