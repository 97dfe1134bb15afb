package io.splicelab.edge.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data: the process's memory now and at its peak ({@link ProcessMemory}), so that a user (and the
 * drills) can see a service stay within its budget while it works. It reports UP: running out of memory is
 * already DOWN through {@link FatalErrorsCheck}.
 */
@Readiness
@ApplicationScoped
public class ProcessMemoryCheck implements HealthCheck {
    /** The name of the health check. */
    public static final String NAME = "process-memory";

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME).up();
        for (Map.Entry<String, Long> e : ProcessMemory.snapshot().entrySet()) {
            b.withData(e.getKey(), e.getValue());
        }
        return b.build();
    }
}
