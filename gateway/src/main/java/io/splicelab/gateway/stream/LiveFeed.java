package io.splicelab.gateway.stream;

import io.smallrye.mutiny.subscription.MultiEmitter;
import io.splicelab.model.events.Envelope;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One stream client's subscription to live events. It starts buffering as soon as it is registered (before
 * the client's replay is read from the database) and hands the buffered events over when the client is
 * ready for live ones, so nothing falls into the gap between replay and live. The buffer is bounded: a
 * client that cannot keep up is failed rather than allowed to hold memory or slow the publisher down.
 */
public final class LiveFeed {
    private final String runId;
    private final int capacity;
    private final Deque<Envelope> pending = new ArrayDeque<>();
    private MultiEmitter<? super Envelope> emitter;
    private boolean overflowed;
    private boolean closed;

    /**
     * @param runId the run to follow, or null for every run
     * @param capacity the most events buffered for this client before it is dropped
     */
    LiveFeed(String runId, int capacity) {
        this.runId = runId;
        this.capacity = capacity;
    }

    /**
     * Called by the publisher for every new event; never blocks.
     *
     * @return false once this feed is closed (overflowed before its client was ready, or ended)
     */
    synchronized boolean offer(Envelope envelope) {
        if (closed) {
            return false;
        }
        if (runId != null && !runId.equals(envelope.subject())) {
            return true;
        }
        if (emitter != null) {
            emitter.emit(envelope);
        } else if (pending.size() >= capacity) {
            overflowed = true;
            pending.clear();
            closed = true;
        } else {
            pending.add(envelope);
        }
        return !closed;
    }

    /** Connects the client's stream: first the events buffered so far, then live ones as they come. */
    synchronized void attach(MultiEmitter<? super Envelope> target) {
        if (overflowed) {
            target.fail(new SlowClientException("the client fell more than " + capacity + " events behind"));
            return;
        }
        if (closed) {
            target.complete();
            return;
        }
        pending.forEach(target::emit);
        pending.clear();
        emitter = target;
    }

    synchronized void close() {
        closed = true;
        emitter = null;
        pending.clear();
    }

    int capacity() {
        return capacity;
    }

    /** A client fell too far behind and was dropped. */
    public static final class SlowClientException extends RuntimeException {
        SlowClientException(String message) {
            super(message);
        }
    }
}
