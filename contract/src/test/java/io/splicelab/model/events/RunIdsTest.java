package io.splicelab.model.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunIdsTest {
    @Test
    void acceptsTheIdsTheSystemMakes() {
        for (String id : List.of("run-0a1b2c3d4e5f", "it-" + java.util.UUID.randomUUID(), "resnet20.cifar_1", "a",
                "x".repeat(64))) {
            assertTrue(RunIds.isValid(id), id);
            assertEquals(id, RunIds.requireValid(id));
        }
    }

    @Test
    void refusesWhatCouldBuildAPathOrALogLineElsewhere() {
        for (String id : List.of("../x", "..", "a..b", "/etc", "a/b", "a\\b", ".hidden", "-x", "_x", "run 1",
                "run\n1", "x".repeat(65), "")) {
            assertFalse(RunIds.isValid(id), id);
            RunIds.InvalidRunIdException e = assertThrows(RunIds.InvalidRunIdException.class,
                    () -> RunIds.requireValid(id), id);
            assertFalse(e.getMessage().contains("\n"), "the id is escaped in the message: " + e.getMessage());
        }
        assertFalse(RunIds.isValid(null));
        assertThrows(RunIds.InvalidRunIdException.class, () -> RunIds.requireValid(null));
    }

    @Test
    void quotesEscapedAndShortened() {
        assertEquals("'a\\u000ab'", RunIds.quote("a\nb"));
        assertEquals("'" + "x".repeat(80) + "...'", RunIds.quote("x".repeat(200)));
        assertEquals("null", RunIds.quote(null));
    }
}
