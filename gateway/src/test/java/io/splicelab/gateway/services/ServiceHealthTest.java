package io.splicelab.gateway.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.splicelab.gateway.services.ServiceStatus.Service;
import org.junit.jupiter.api.Test;

class ServiceHealthTest {
    @Test
    void aHealthAnswerIsUpOnlyWhenItSaysSo() {
        Service up = ServiceHealth.judge("stats", "u", 200, "{\"status\":\"UP\",\"checks\":[]}");
        assertEquals("UP", up.status());
        assertNull(up.detail());
        Service down = ServiceHealth.judge("splicer", "u", 503, "{\"status\":\"DOWN\",\"checks\":["
                + "{\"name\":\"kafka-producers\",\"status\":\"DOWN\"},{\"name\":\"db\",\"status\":\"UP\"}]}");
        assertEquals("DOWN", down.status());
        assertEquals("HTTP 503, DOWN: kafka-producers", down.detail());
        assertEquals("DOWN", ServiceHealth.judge("trainer", "u", 404, "<html>").status());
        assertEquals("UP", ServiceHealth.judge("trainer", "u", 200, "plain OK").status(), "200 without JSON");
    }
}
