package io.splicelab.model.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The stack's API token as a secret: how one is made (24 random bytes, hex) and how it is handed to other clients
 * (a file only its owner can read). One place for both because two programs make tokens: the gateway, when none
 * is configured, and the local stack's launcher, once per stack, and neither depends on the other. Plain Java.
 */
public final class ApiTokens {
    /** The environment variable the services (and the command line) read the token from. */
    public static final String ENV = "SPLICELAB_API_TOKEN";
    /** The name of a token file inside a data or stack directory. */
    public static final String FILE_NAME = "api-token";

    private static final int BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokens() {
    }

    /** A new token: 24 random bytes from a {@link SecureRandom}, as 48 lowercase hex digits. */
    public static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Writes the token and a newline to {@code file} (creating its directory), readable and writable by its owner
     * only where the file system knows POSIX permissions; elsewhere the file keeps the default permissions.
     */
    public static void writeOwnerOnly(Path file, String token) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the default permissions
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API token to " + file, e);
        }
    }
}
