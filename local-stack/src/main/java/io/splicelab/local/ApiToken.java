package io.splicelab.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The stack's API token: random per stack, handed to the services in their environment
 * ({@code SPLICELAB_API_TOKEN}, never on a command line, where {@code ps} would show it) and written to a file
 * only its owner can read, for other clients.
 */
public final class ApiToken {
    /** The environment variable the services read it from. */
    public static final String ENV = "SPLICELAB_API_TOKEN";

    private final String value;

    private ApiToken(String value) {
        this.value = value;
    }

    /** 24 random bytes, hex. */
    public static ApiToken generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new ApiToken(HexFormat.of().formatHex(bytes));
    }

    public String value() {
        return value;
    }

    /** Writes the token to file, readable by its owner only (where the file system knows POSIX permissions). */
    public void writeTo(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, value + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file stays as created
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API token", e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[****]";
    }
}
