package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BnModeTest {
    @Test
    void parsesTheWireNames() {
        assertEquals(BnMode.CARRY, BnMode.parse("carry"));
        assertEquals(BnMode.RECALIBRATE, BnMode.parse("recalibrate"));
        assertEquals(List.of(BnMode.CARRY, BnMode.RECALIBRATE), BnMode.parseAll(List.of("carry", "recalibrate")));
        assertEquals(List.of("carry", "recalibrate"), WireName.wireNames(BnMode.class));
    }


    @Test
    void refusesAnUnknownModeWithTheReason() {
        assertEquals("unknown BatchNorm mode 'CARRY'; known: [carry, recalibrate]",
                assertThrows(IllegalArgumentException.class, () -> BnMode.parse("CARRY")).getMessage());
        assertEquals("unknown BatchNorm mode null; known: [carry, recalibrate]",
                assertThrows(IllegalArgumentException.class, () -> BnMode.parse(null)).getMessage());
    }
}
