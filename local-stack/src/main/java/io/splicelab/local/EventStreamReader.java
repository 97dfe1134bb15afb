package io.splicelab.local;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a run's server-sent events ({@code GET /api/runs/{id}/events}) into a queue on a daemon thread, with
 * {@link Signal}s for connected, disconnected and not found between them, until stopped.
 *
 * <p>The stream is a JAX-RS {@link SseEventSource}: it parses the text/event-stream format and, when a stream ends,
 * connects again by itself (the gateway replays the past first, and the follower's state is idempotent). A
 * connection that fails ends the source; this reader then opens a new one with back-off. The source says nothing
 * when it connects or reconnects, so a filter on its target does ({@link Connection}).
 */
final class EventStreamReader implements Runnable {
    enum SignalKind { CONNECTED, DISCONNECTED, NOT_FOUND }

    record Signal(SignalKind kind, String message) {
    }

    /** One server-sent event; {@code name} is {@code message} when the server named none. */
    record Event(String name, String data) {
    }

    /**
     * Quarkus REST writes an event's media type as a {@code content-type:} line, a field the SSE format does not
     * define; RESTEasy's reader skips it (as the standard says) but warns on every event, on the user's terminal.
     * RESTEasy logs through JBoss Logging to java.util.logging here, under categories below {@code org.jboss.resteasy}:
     * the command line shows its errors only. Held here so the logger (and its level) is not collected.
     */
    private static final java.util.logging.Logger RESTEASY = quiet("org.jboss.resteasy");

    /** How soon a source connects again after its stream ended: the first step of the back-off. */
    private static final long RECONNECT_MS = 250;

    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final GatewayClient client;
    private final String runId;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile SseEventSource source;

    EventStreamReader(GatewayClient client, String runId) {
        this.client = client;
        this.runId = runId;
        this.thread = new Thread(this, "splicelab-follow-" + runId);
        this.thread.setDaemon(true);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        SseEventSource s = source;
        if (s != null) {
            s.close(0, TimeUnit.SECONDS);
        }
        thread.interrupt();
    }

    @Override
    public void run() {
        int attempt = 0;
        while (!stopped) {
            Connection connection = new Connection();
            Signal end;
            try (SseEventSource s = SseEventSource.target(client.eventsTarget(runId).register(connection))
                    .reconnectingEvery(RECONNECT_MS, TimeUnit.MILLISECONDS).build()) {
                source = s;
                s.register(this::onEvent, connection::failed, connection::ended);
                if (stopped) {
                    return;
                }
                s.open();
                end = connection.end.take();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                end = new Signal(SignalKind.DISCONNECTED, RunFollower.describe(e));
            } finally {
                source = null;
            }
            if (stopped) {
                return;
            }
            queue.add(end);
            if (end.kind() == SignalKind.NOT_FOUND) {
                return;
            }
            if (connection.connected) {
                attempt = 0;
            }
            try {
                Thread.sleep(Math.min(5000, RECONNECT_MS << Math.min(attempt++, 5)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** An event with data goes on the queue; a comment or an event without data is not an event to the reader. */
    private void onEvent(InboundSseEvent ev) {
        if (ev.isEmpty()) {
            return;
        }
        try {
            String name = ev.getName() == null || ev.getName().isEmpty() ? "message" : ev.getName();
            queue.add(new Event(name, ev.readData()));
        } catch (RuntimeException e) {
            // an event whose data cannot be read is dropped; the source must go on reading
        }
    }

    /** Why a source ended: the run is not there (404), or the gateway could not be reached or refused. */
    private Signal failure(Throwable e) {
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return status == 404
                    ? new Signal(SignalKind.NOT_FOUND, "no run " + runId + " at " + client.baseUrl())
                    : new Signal(SignalKind.DISCONNECTED, "HTTP " + status + " from " + client.eventsUrl(runId));
        }
        Throwable cause = e instanceof ProcessingException p ? GatewayClient.transportFailure(p) : e;
        return new Signal(SignalKind.DISCONNECTED, RunFollower.describe(cause));
    }

    /**
     * One source's connections, as a filter on its target: every answer 200 is a connection (CONNECTED), every
     * request after the first a reconnect after the stream ended (DISCONNECTED); and how the source itself ended.
     */
    private final class Connection implements ClientRequestFilter, ClientResponseFilter {
        private final AtomicInteger requests = new AtomicInteger();
        private final BlockingQueue<Signal> end = new LinkedBlockingQueue<>();
        private volatile boolean connected;

        @Override
        public void filter(ClientRequestContext request) {
            if (requests.incrementAndGet() > 1) {
                queue.add(new Signal(SignalKind.DISCONNECTED, "the stream ended"));
            }
        }

        @Override
        public void filter(ClientRequestContext request, ClientResponseContext response) {
            if (response.getStatus() == 200) {
                connected = true;
                queue.add(new Signal(SignalKind.CONNECTED, null));
            }
        }

        void failed(Throwable e) {
            end.add(failure(e));
        }

        /** The source completed: the gateway answered without a stream (204), or the source was closed. */
        void ended() {
            end.add(new Signal(SignalKind.DISCONNECTED, "the stream ended"));
        }
    }
}
