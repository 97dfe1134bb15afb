package io.splicelab.edge.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Remembers the first {@link Error} (OutOfMemoryError, StackOverflowError, a linkage error...) that reached
 * an edge of the service; from then on {@link FatalErrorsCheck} reports the service not alive: after an Error
 * the JVM's state cannot be trusted, so the orchestrator should restart it rather than let it half-work. Records are never
 * dead-lettered for an Error: they are not at fault, and are redelivered after the restart.
 */
@ApplicationScoped
public class FatalErrors {
    private static final Logger LOG = Logger.getLogger(FatalErrors.class);
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

    /**
     * Looks at a failure seen at an edge (a request, a publish, a batch) and its causes, and records it when a
     * {@link VirtualMachineError} is among them (an {@link OutOfMemoryError} often arrives wrapped, e.g. in the
     * {@code CompletionException} of an emitter, and kills threads such as a Kafka producer's I/O thread).
     *
     * @return whether it was fatal
     */
    public boolean check(Throwable failure, String where) {
        Throwable fatal = fatalIn(failure);
        if (fatal == null) {
            return false;
        }
        record((Error) fatal, where);
        return true;
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

    /** The first fatal error, or null while there was none. */
    public Fatal first() {
        return first.get();
    }
}
