package io.splicelab.edge.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: DOWN while a Kafka producer of the service cannot publish ({@link ProducerHealth}). */
@Readiness
@ApplicationScoped
public class ProducerHealthCheck implements HealthCheck {
    private final ProducerHealth health;

    public ProducerHealthCheck(ProducerHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return health.call();
    }
}
