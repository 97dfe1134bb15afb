package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.model.events.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every typed value is its bare wire string in JSON, reads back equal, and an unknown one fails to read. */
class WireFormTest {
    private static final ObjectMapper JSON = EventCodec.mapper();

    @Test
    void everyValueIsItsBareWireString() throws Exception {
        List<WireName> values = List.of(BnMode.CARRY, BnMode.RECALIBRATE, Metric.KL_DEEP, Metric.ACCURACY,
                EvalSet.TEST, EvalSet.TRAIN_NOISY, EvalSet.parse("fog-3"), Cut.STEM, Cut.parse("layer3"),
                ProbeSet.TRAIN_PROBE, EvalSubset.FIRST, EvalSubset.INDICES);
        for (WireName v : values) {
            String text = JSON.writeValueAsString(v);
            assertEquals("\"" + v.wire() + "\"", text);
            assertEquals(v, JSON.readValue(text, v.getClass()));
        }
        assertEquals("[\"carry\",\"fog-3\"]", JSON.writeValueAsString(List.of(BnMode.CARRY, EvalSet.parse("fog-3"))));
        assertEquals("fog-3", EvalSet.parse("fog-3").toString());
    }

    @Test
    void anUnknownNameFailsToReadWithTheReason() {
        Exception e = assertThrows(Exception.class, () -> JSON.readValue("\"frozen\"", BnMode.class));
        assertTrue(e.getMessage().contains("unknown BatchNorm mode 'frozen'"), e.getMessage());
        e = assertThrows(Exception.class, () -> JSON.readValue("\"train-probe\"", EvalSet.class));
        assertTrue(e.getMessage().contains("evaluation set 'train-probe'"), e.getMessage());
        e = assertThrows(Exception.class, () -> JSON.readValue("\"../x\"", ProbeSet.class));
        assertTrue(e.getMessage().contains("invalid probe set '../x'"), e.getMessage());
    }
}
