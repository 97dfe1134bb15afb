package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricTest {
    @Test
    void theWireNamesAreTheKeysOfACellsMetrics() {
        assertEquals(List.of("accuracy", "agreementDeep", "agreementShallow", "crossEntropy", "klDeep",
                "relativeAccuracy", "relativeParamDistance", "relativeFeatureDistance"), Metric.wireNames());
        for (Metric m : Metric.values()) {
            assertEquals(m, Metric.parse(m.wire()));
        }
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
