package io.splicelab.gateway.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The token that guards every mutating endpoint. Reading is open (the dashboard and scripts follow runs
 * freely); starting, cancelling or deleting runs and rebuilding the read model need the token, so a gateway
 * reachable on a network cannot be driven by anyone who finds it. When no token is configured one is
 * generated at startup and written to {@code ${splicelab.data.dir}/api-token} (readable by its owner only),
 * so a local user can always find it and nothing secret has to be committed to a configuration file.
 */
@ApplicationScoped
public class ApiToken {
    private static final Logger LOG = Logger.getLogger(ApiToken.class);
    /** The file name of a generated token inside the data directory. */
    public static final String FILE_NAME = "api-token";

    private final boolean enabled;
    private final Path dataDir;
    private volatile String token;

    public ApiToken(@ConfigProperty(name = "splicelab.api.auth-enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "splicelab.api.token") Optional<String> configured,
            @ConfigProperty(name = "splicelab.data.dir", defaultValue = "./.splicelab/data") Path dataDir) {
        this.enabled = enabled;
        this.dataDir = dataDir;
        this.token = configured.map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.warn("API token check is disabled (splicelab.api.auth-enabled=false): anyone who reaches the gateway "
                    + "can start, cancel and delete runs");
            return;
        }
        if (token == null) {
            token = generateAndStore(dataDir.resolve(FILE_NAME));
        }
    }

    /** Whether mutating requests must carry the token. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether {@code presented} is the token, compared in constant time. */
    public boolean accepts(String presented) {
        String expected = token;
        if (!enabled) {
            return true;
        }
        if (presented == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String generateAndStore(Path file) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String generated = HexFormat.of().formatHex(bytes);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the default permissions
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated API token to " + file, e);
        }
        LOG.infof("no splicelab.api.token configured: generated one and wrote it to %s (send it as "
                + "'Authorization: Bearer <token>' or 'X-Api-Token: <token>')", file.toAbsolutePath());
        return generated;
    }
}
