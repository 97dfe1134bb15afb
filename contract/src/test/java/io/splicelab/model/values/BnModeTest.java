package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.model.events.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class BnModeTest {
    private final ObjectMapper json = EventCodec.mapper();

    @Test
    void parsesTheWireNames() {
        assertEquals(BnMode.CARRY, BnMode.parse("carry"));
        assertEquals(BnMode.RECALIBRATE, BnMode.parse("recalibrate"));
        assertEquals(List.of(BnMode.CARRY, BnMode.RECALIBRATE), BnMode.parseAll(List.of("carry", "recalibrate")));
        assertEquals(List.of("carry", "recalibrate"), BnMode.wireNames());
    }

    @Test
    void roundTripsAsTheBareName() throws Exception {
        for (BnMode m : BnMode.values()) {
            assertEquals("\"" + m.wire() + "\"", json.writeValueAsString(m));
            assertEquals(m, json.readValue(json.writeValueAsString(m), BnMode.class));
            assertEquals(m.wire(), m.toString());
        }
    }

    @Test
    void refusesAnUnknownModeWithTheReason() {
        assertEquals("unknown BatchNorm mode 'CARRY'; known: [carry, recalibrate]",
                assertThrows(IllegalArgumentException.class, () -> BnMode.parse("CARRY")).getMessage());
        assertEquals("unknown BatchNorm mode null; known: [carry, recalibrate]",
                assertThrows(IllegalArgumentException.class, () -> BnMode.parse(null)).getMessage());
        assertThrows(Exception.class, () -> json.readValue("\"frozen\"", BnMode.class));
    }
}
