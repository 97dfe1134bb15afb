package io.splicelab.gateway.readmodel;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps the live consumer and a read-model rebuild apart: the consumer applies each record under the shared
 * lock, a rebuild holds the exclusive one. While a rebuild replays the topics the live consumer waits (its
 * records stay in Kafka), then goes on from its own position; what the rebuild already applied is skipped by
 * the projector's idempotency, so nothing is applied out of order or twice.
 */
@ApplicationScoped
public class ReadModelGate {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    /** Runs one live update. */
    public <T> T live(Supplier<T> update) {
        return holding(lock.readLock(), update);
    }

    /** Runs a rebuild alone. */
    public <T> T exclusive(Supplier<T> rebuild) {
        return holding(lock.writeLock(), rebuild);
    }

    private static <T> T holding(Lock held, Supplier<T> work) {
        held.lock();
        try {
            return work.get();
        } finally {
            held.unlock();
        }
    }

    /** Whether a rebuild is running now. */
    public boolean rebuilding() {
        return lock.isWriteLocked();
    }
}
