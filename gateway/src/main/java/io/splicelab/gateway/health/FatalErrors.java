package io.splicelab.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Remembers the first fatal error (an {@link OutOfMemoryError} or another {@link VirtualMachineError}) any part of
 * the gateway saw. After one, threads of the JVM may have died (the Kafka producer's I/O thread did, in the field)
 * and the process cannot be trusted to work again, so the liveness check stays DOWN from then on and the
 * orchestrator replaces the gateway instead of it answering 503 forever while saying UP.
 */
@ApplicationScoped
public class FatalErrors {
    private static final Logger LOG = Logger.getLogger(FatalErrors.class);

    /** The first fatal error: what and when. */
    public record Fatal(String error, Instant at) {
    }

    private final AtomicReference<Fatal> first = new AtomicReference<>();

    /**
     * Looks at a failure (and its causes) and records it when it is fatal.
     *
     * @return whether it was fatal
     */
    public boolean check(Throwable failure) {
        Throwable fatal = fatalIn(failure);
        if (fatal == null) {
            return false;
        }
        if (first.compareAndSet(null, new Fatal(fatal.getClass().getName() + ": " + fatal.getMessage(),
                Instant.now()))) {
            LOG.fatalf("fatal error, the gateway now reports DOWN: %s", fatal);
        }
        return true;
    }

    /** The first fatal error seen, or null. */
    public Fatal first() {
        return first.get();
    }

    /** The fatal error in a failure's cause chain, or null. */
    static Throwable fatalIn(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof VirtualMachineError) {
                return t;
            }
        }
        return null;
    }
}
