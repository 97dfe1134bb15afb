package io.splicelab.edge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class FatalErrorsTest {
    @Test
    void aFatalErrorAnywhereInTheCausesTurnsLivenessDownForGood() {
        FatalErrors errors = new FatalErrors();
        FatalErrorsCheck check = new FatalErrorsCheck(errors);
        assertFalse(errors.check(new IllegalStateException("ordinary"), "test"));
        assertFalse(errors.check(new AssertionError("an Error, but not of the virtual machine"), "test"));
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
        assertNull(errors.first());

        assertTrue(errors.check(new CompletionException(new OutOfMemoryError("Java heap space")), "test"));
        assertFalse(errors.check(new IllegalStateException("later, ordinary"), "test"));
        HealthCheckResponse down = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertTrue(down.getData().orElseThrow().get("error").toString().contains("Java heap space"));
        assertTrue(errors.check(new StackOverflowError(), "test"));
        assertTrue(errors.first().error().contains("OutOfMemoryError"), "the first one is kept");
    }
}
