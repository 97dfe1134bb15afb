package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvalSetTest {
    @Test
    void parsesThePlainSetsAndCorruptions() {
        assertEquals(EvalSet.TEST, EvalSet.parse("test"));
        assertEquals(EvalSet.TRAIN, EvalSet.parse("train"));
        assertEquals(EvalSet.TRAIN_NOISY, EvalSet.parse("train-noisy"));
        assertFalse(EvalSet.TRAIN_NOISY.isCorrupted());
        EvalSet fog = EvalSet.parse("fog-3");
        assertTrue(fog.isCorrupted());
        assertEquals("fog", fog.corruption());
        assertEquals(3, fog.severity());
        assertFalse(fog.fileOnly());
        assertEquals(fog, EvalSet.corrupted("fog", 3));
        assertEquals("elastic_transform", EvalSet.parse("elastic_transform-5").corruption());
        assertTrue(EvalSet.parse("frost-1").fileOnly());
        assertEquals(14, EvalSet.COMPUTED_CORRUPTIONS.size());
        assertThrows(IllegalStateException.class, EvalSet.TEST::severity);
    }


    @Test
    void refusesUnknownSetsWithTheReason() {
        assertEquals("unknown evaluation set 'valid'; known: test, train, train-noisy, <corruption>-<severity>",
                message("valid"));
        assertEquals("unknown evaluation set null; known: test, train, train-noisy, <corruption>-<severity>",
                message(null));
        assertEquals("evaluation set 'fog-6': the severity must be 1..5", message("fog-6"));
        assertEquals("evaluation set 'fog-x': the severity must be 1..5", message("fog-x"));
        assertEquals("evaluation set 'fog-03': the severity must be 1..5", message("fog-03"));
        assertTrue(message("mist-2").startsWith("unknown corruption mist; known: [gaussian_noise"), message("mist-2"));
        assertThrows(IllegalArgumentException.class, () -> EvalSet.corrupted("fog", 0));
    }

    private static String message(String name) {
        return assertThrows(IllegalArgumentException.class, () -> EvalSet.parse(name)).getMessage();
    }
}
