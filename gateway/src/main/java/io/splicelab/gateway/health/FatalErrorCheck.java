package io.splicelab.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Liveness: DOWN for good once a fatal error was seen ({@link FatalErrors}). */
@Liveness
@ApplicationScoped
public class FatalErrorCheck implements HealthCheck {
    private final FatalErrors errors;

    public FatalErrorCheck(FatalErrors errors) {
        this.errors = errors;
    }

    @Override
    public HealthCheckResponse call() {
        FatalErrors.Fatal fatal = errors.first();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("fatal-errors");
        if (fatal == null) {
            return b.up().build();
        }
        return b.down().withData("error", fatal.error()).withData("at", fatal.at().toString()).build();
    }
}
