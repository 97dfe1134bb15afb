package io.splicelab.edge.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: DOWN, with what broke, where and when, from the first {@link Error} recorded in
 * {@link FatalErrors} on (served at {@code /q/health/live}).
 */
@Liveness
@ApplicationScoped
public class FatalErrorsCheck implements HealthCheck {
    /** The name of the health check. */
    public static final String CHECK = "splicelab-fatal-errors";

    private final FatalErrors errors;

    public FatalErrorsCheck(FatalErrors errors) {
        this.errors = errors;
    }

    @Override
    public HealthCheckResponse call() {
        FatalErrors.Fatal fatal = errors.first();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(CHECK);
        if (fatal == null) {
            return builder.up().build();
        }
        return builder.down().withData("error", fatal.error()).withData("where", fatal.where())
                .withData("at", fatal.at().toString()).build();
    }
}
