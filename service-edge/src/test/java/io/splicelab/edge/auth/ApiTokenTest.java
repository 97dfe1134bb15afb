package io.splicelab.edge.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiTokenTest {
    private static final Path DATA = Path.of("target", "api-token-test");

    @Test
    void aConfiguredTokenIsRequiredAndComparedExactly() {
        ApiToken token = new ApiToken(true, Optional.of(" s3cret "), false, DATA);
        assertTrue(token.required());
        assertTrue(token.accepts("s3cret"));
        assertFalse(token.accepts("s3cret2"));
        assertFalse(token.accepts(""));
        assertFalse(token.accepts(null));
    }

    @Test
    void withoutATokenTheEndpointsAreOpenAndTheSwitchTurnsTheCheckOff() {
        ApiToken none = new ApiToken(true, Optional.of("  "), false, DATA);
        assertFalse(none.required());
        assertTrue(none.accepts(null));
        ApiToken off = new ApiToken(false, Optional.of("s3cret"), false, DATA);
        assertFalse(off.required());
        assertTrue(off.accepts("wrong"));
    }

    @Test
    void theTokenIsReadFromEitherHeader() {
        assertEquals("abc", ApiTokenFilter.presented(" abc ", null));
        assertEquals("abc", ApiTokenFilter.presented(null, "Bearer abc"));
        assertEquals("abc", ApiTokenFilter.presented(null, "bearer  abc"));
        assertEquals("x", ApiTokenFilter.presented("x", "Bearer abc"), "X-Api-Token first");
        assertNull(ApiTokenFilter.presented(null, "Basic dXNlcjpwdw=="));
        assertNull(ApiTokenFilter.presented("", null));
    }
}
