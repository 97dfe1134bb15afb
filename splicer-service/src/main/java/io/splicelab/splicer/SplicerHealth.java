package io.splicelab.splicer;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN when the splicer can no longer evaluate checkpoints although its Kafka channels are fine: the worker
 * thread died or a fatal error (out of memory) stopped it. What the error was is reported by the service edge's
 * {@code FatalErrorsCheck} (the worker records it in {@code FatalErrors}). The records the splicer accepted stay
 * pending in the artifact store, so a restart picks them up.
 */
@Liveness
@Readiness
@ApplicationScoped
public class SplicerHealth implements HealthCheck {
    private final SplicerWorker worker;

    public SplicerHealth(SplicerWorker worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("splicer-worker").status(worker.healthy())
                .withData("queued", worker.queued()).build();
    }
}
