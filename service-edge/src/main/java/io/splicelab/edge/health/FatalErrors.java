package io.splicelab.edge.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Remembers the first {@link Error} (OutOfMemoryError, StackOverflowError, a linkage error...) that reached
 * an edge of the service, and from then on reports the service not alive: after an Error the JVM's state
 * cannot be trusted, so the orchestrator should restart it rather than let it half-work. Records are never
 * dead-lettered for an Error: they are not at fault, and are redelivered after the restart.
 */
@Liveness
@ApplicationScoped
public class FatalErrors implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(FatalErrors.class);
    /** The name of the health check. */
    public static final String CHECK = "splicelab-fatal-errors";

    private final AtomicReference<Fatal> first = new AtomicReference<>();

    /** What broke, where, and when. */
    public record Fatal(String error, String where, Instant at) {
    }

    /** Records an Error seen at {@code where} (a channel, an endpoint); only the first one is kept. */
    public void record(Error error, String where) {
        Fatal fatal = new Fatal(error.toString(), where, Instant.now());
        if (first.compareAndSet(null, fatal)) {
            LOG.errorf(error, "fatal error in %s: the service reports itself DOWN (liveness) from now on", where);
        } else {
            LOG.errorf(error, "another fatal error in %s", where);
        }
    }

    /** The first fatal error, or null while there was none. */
    public Fatal first() {
        return first.get();
    }

    @Override
    public HealthCheckResponse call() {
        Fatal fatal = first.get();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(CHECK);
        if (fatal == null) {
            return builder.up().build();
        }
        return builder.down().withData("error", fatal.error()).withData("where", fatal.where())
                .withData("at", fatal.at().toString()).build();
    }
}
