package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.model.events.EventCodec;
import org.junit.jupiter.api.Test;

class ProbeSetTest {
    private final ObjectMapper json = EventCodec.mapper();

    @Test
    void aProbeSetIsAPlainName() {
        assertEquals("train-probe", ProbeSet.TRAIN_PROBE.wire());
        assertEquals(new ProbeSet("test"), ProbeSet.of(EvalSet.TEST));
        assertEquals("fog-3", ProbeSet.of(EvalSet.parse("fog-3")).wire());
        assertEquals("my_inputs.v2", ProbeSet.parse("my_inputs.v2").wire());
    }

    @Test
    void roundTripsAsTheBareName() throws Exception {
        assertEquals("\"train-probe\"", json.writeValueAsString(ProbeSet.TRAIN_PROBE));
        assertEquals(ProbeSet.TRAIN_PROBE, json.readValue("\"train-probe\"", ProbeSet.class));
    }

    @Test
    void refusesANameThatWouldLeaveTheRunsDirectory() {
        for (String bad : new String[] {"../x", "a/b", "..", "", ".hidden"}) {
            String message = assertThrows(IllegalArgumentException.class, () -> ProbeSet.parse(bad)).getMessage();
            assertTrue(message.startsWith("invalid probe set '"), message);
        }
        assertEquals("invalid probe set null: a plain name of letters, digits, '.', '_' or '-' (no directories, "
                + "no '..')", assertThrows(IllegalArgumentException.class, () -> ProbeSet.parse(null)).getMessage());
    }
}
