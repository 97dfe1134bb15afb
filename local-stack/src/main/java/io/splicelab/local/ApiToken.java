package io.splicelab.local;

import io.splicelab.model.auth.ApiTokens;
import java.nio.file.Path;

/**
 * The stack's API token: random per stack, handed to the services in their environment
 * ({@code SPLICELAB_API_TOKEN}, never on a command line, where {@code ps} would show it) and written to a file
 * only its owner can read, for other clients. Made and written by {@link ApiTokens}, as the gateway's own.
 */
public final class ApiToken {
    /** The environment variable the services read it from. */
    public static final String ENV = ApiTokens.ENV;

    private final String value;

    private ApiToken(String value) {
        this.value = value;
    }

    /** 24 random bytes, hex. */
    public static ApiToken generate() {
        return new ApiToken(ApiTokens.generate());
    }

    public String value() {
        return value;
    }

    /** Writes the token to file, readable by its owner only (where the file system knows POSIX permissions). */
    public void writeTo(Path file) {
        ApiTokens.writeOwnerOnly(file, value);
    }

    @Override
    public String toString() {
        return "ApiToken[****]";
    }
}
