package io.splicelab.edge.auth;

import io.quarkus.runtime.StartupEvent;
import io.splicelab.model.auth.ApiTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The API token of the stack ({@code splicelab.api.token}, env {@code SPLICELAB_API_TOKEN}): one secret shared by
 * the gateway and the services, so an endpoint that costs compute or changes state cannot be driven by whoever
 * reaches the port. Without a configured token, a service's endpoints are open (it runs behind the gateway),
 * unless {@code splicelab.api.generate-token=true} (the gateway): then one is generated at startup and written
 * to {@code ${splicelab.data.dir}/api-token}, readable by its owner only ({@link ApiTokens}, shared with the local
 * stack). {@code splicelab.api.auth-enabled=false} switches the check off (and says so in the log).
 */
@ApplicationScoped
public class ApiToken {
    private static final Logger LOG = Logger.getLogger(ApiToken.class);
    /** The file name of a generated token inside the data directory. */
    public static final String FILE_NAME = ApiTokens.FILE_NAME;

    private final boolean enabled;
    private final boolean generate;
    private final Path dataDir;
    private volatile String token;

    public ApiToken(@ConfigProperty(name = "splicelab.api.auth-enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "splicelab.api.token") Optional<String> configured,
            @ConfigProperty(name = "splicelab.api.generate-token", defaultValue = "false") boolean generate,
            @ConfigProperty(name = "splicelab.data.dir", defaultValue = "./.splicelab/data") Path dataDir) {
        this.enabled = enabled;
        this.generate = generate;
        this.dataDir = dataDir;
        this.token = configured.map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.warn("API token check is disabled (splicelab.api.auth-enabled=false): anyone who reaches this "
                    + "service can call its protected endpoints");
        } else if (token == null && generate) {
            token = generateAndStore(dataDir.resolve(FILE_NAME));
        } else if (token == null) {
            LOG.info("no splicelab.api.token configured: the endpoints that take the API token are open");
        }
    }

    /** Whether protected requests must carry the token: checks on and a token configured or generated. */
    public boolean required() {
        return enabled && token != null;
    }

    /**
     * The token, configured or generated, when one is required: what this service forwards (as
     * {@code X-Api-Token}) to the protected endpoints of the services it calls, which share the stack's token.
     */
    public java.util.Optional<String> forwarded() {
        return required() ? java.util.Optional.of(token) : java.util.Optional.empty();
    }

    /** Whether {@code presented} is the token, compared in constant time; true when none is required. */
    public boolean accepts(String presented) {
        String expected = token;
        if (!enabled || expected == null) {
            return true;
        }
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String generateAndStore(Path file) {
        String generated = ApiTokens.generate();
        ApiTokens.writeOwnerOnly(file, generated);
        LOG.infof("no splicelab.api.token configured: generated one and wrote it to %s (send it as "
                + "'Authorization: Bearer <token>' or 'X-Api-Token: <token>')", file.toAbsolutePath());
        return generated;
    }
}
