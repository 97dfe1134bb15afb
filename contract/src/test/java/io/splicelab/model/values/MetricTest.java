package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.model.events.EventCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricTest {
    private final ObjectMapper json = EventCodec.mapper();

    @Test
    void theWireNamesAreTheKeysOfACellsMetrics() {
        assertEquals(List.of("accuracy", "agreementDeep", "agreementShallow", "crossEntropy", "klDeep",
                "relativeAccuracy", "relativeParamDistance", "relativeFeatureDistance"), Metric.wireNames());
        for (Metric m : Metric.values()) {
            assertEquals(m, Metric.parse(m.wire()));
        }
    }

    @Test
    void roundTripsAsTheBareName() throws Exception {
        assertEquals("\"klDeep\"", json.writeValueAsString(Metric.KL_DEEP));
        assertEquals(Metric.RELATIVE_ACCURACY, json.readValue("\"relativeAccuracy\"", Metric.class));
    }

    @Test
    void readsItsValueFromACellsMetrics() {
        Map<String, Double> metrics = Map.of("accuracy", 0.5);
        assertEquals(0.5, Metric.ACCURACY.in(metrics));
        assertNull(Metric.KL_DEEP.in(metrics));
        assertNull(Metric.ACCURACY.in(null));
    }

    @Test
    void refusesAnUnknownMetricWithTheReason() {
        String message = assertThrows(IllegalArgumentException.class, () -> Metric.parse("acc")).getMessage();
        assertEquals("unknown metric 'acc'; known: " + Metric.wireNames(), message);
    }
}
