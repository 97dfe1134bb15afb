package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProbeSetTest {
    @Test
    void aProbeSetIsAPlainName() {
        assertEquals("train-probe", ProbeSet.TRAIN_PROBE.wire());
        assertEquals(new ProbeSet("test"), ProbeSet.of(EvalSet.TEST));
        assertEquals("fog-3", ProbeSet.of(EvalSet.parse("fog-3")).wire());
        assertEquals("my_inputs.v2", ProbeSet.parse("my_inputs.v2").wire());
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
