package io.splicelab.gateway.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BodyLimitTest {
    @Test
    void onlyTheImportsTakeLargeBodies() {
        BodyLimit limit = new BodyLimit(1000);
        assertTrue(limit.tooLarge("/api/runs", "1001"));
        assertFalse(limit.tooLarge("/api/runs", "1000"));
        assertFalse(limit.tooLarge("/api/imports", "999999999"));
        assertTrue(limit.tooLarge("/api/importsx", "1001"));
        assertFalse(limit.tooLarge("/api/runs", "junk"));
    }
}
