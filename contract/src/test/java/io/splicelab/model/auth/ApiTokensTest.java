package io.splicelab.model.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {
    @Test
    void aTokenIs24RandomBytesInHex() {
        String a = ApiTokens.generate();
        assertTrue(a.matches("[0-9a-f]{48}"), a);
        assertNotEquals(a, ApiTokens.generate());
    }

    @Test
    void theFileHoldsTheTokenAndOnlyItsOwnerCanReadIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stack").resolve(ApiTokens.FILE_NAME);
        ApiTokens.writeOwnerOnly(file, "s3cret");
        assertEquals("s3cret\n", Files.readString(file));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }
}
