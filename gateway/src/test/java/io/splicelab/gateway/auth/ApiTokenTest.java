package io.splicelab.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
    @TempDir
    Path dir;

    @Test
    void aConfiguredTokenIsTheOnlyOneAccepted() {
        ApiToken token = new ApiToken(true, Optional.of(" s3cret "), dir);
        token.onStart(null);
        assertTrue(token.accepts("s3cret"));
        assertFalse(token.accepts("s3cre"));
        assertFalse(token.accepts(null));
        assertFalse(Files.exists(dir.resolve(ApiToken.FILE_NAME)), "nothing written when configured");
    }

    @Test
    void withoutATokenOneIsGeneratedAndWrittenToTheDataDirectory() throws Exception {
        ApiToken token = new ApiToken(true, Optional.empty(), dir.resolve("data"));
        assertFalse(token.accepts(""), "nothing is accepted before startup");
        token.onStart(null);
        String written = Files.readString(dir.resolve("data").resolve(ApiToken.FILE_NAME)).strip();
        assertEquals(48, written.length());
        assertTrue(token.accepts(written));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data").resolve(ApiToken.FILE_NAME))));
    }

    @Test
    void disabledAcceptsEverythingAndWritesNothing() {
        ApiToken token = new ApiToken(false, Optional.empty(), dir);
        token.onStart(null);
        assertFalse(token.enabled());
        assertTrue(token.accepts(null));
        assertFalse(Files.exists(dir.resolve(ApiToken.FILE_NAME)));
    }
}
