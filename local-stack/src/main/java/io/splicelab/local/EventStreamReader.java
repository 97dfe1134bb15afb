package io.splicelab.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * Reads a run's server-sent events ({@code GET /api/runs/{id}/events}) into a queue on a daemon thread, with
 * {@link Signal}s for connected, disconnected and not found between them; reconnects with back-off until stopped
 * (the gateway replays the past first, and the follower's state is idempotent).
 */
final class EventStreamReader implements Runnable {
    enum SignalKind { CONNECTED, DISCONNECTED, NOT_FOUND }

    record Signal(SignalKind kind, String message) {
    }

    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final GatewayClient client;
    private final String runId;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Stream<String> body;

    EventStreamReader(GatewayClient client, String runId) {
        this.client = client;
        this.runId = runId;
        this.thread = new Thread(this, "splicelab-follow-" + runId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        Stream<String> b = body;
        if (b != null) {
            try {
                b.close();
            } catch (RuntimeException e) {
                // closing a broken stream
            }
        }
        thread.interrupt();
    }

    @Override
    public void run() {
        int attempt = 0;
        SseParser parser = new SseParser();
        while (!stopped) {
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(client.eventsUrl(runId)))
                        .header("Accept", "text/event-stream").GET();
                HttpResponse<Stream<String>> r = client.http().send(rb.build(), HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() == 404) {
                    r.body().close();
                    queue.add(new Signal(SignalKind.NOT_FOUND, "no run " + runId + " at " + client.baseUrl()));
                    return;
                }
                if (r.statusCode() != 200) {
                    r.body().close();
                    throw new IOException("HTTP " + r.statusCode() + " from " + client.eventsUrl(runId));
                }
                body = r.body();
                queue.add(new Signal(SignalKind.CONNECTED, null));
                attempt = 0;
                parser.reset();
                try (Stream<String> lines = r.body()) {
                    Iterator<String> it = lines.iterator();
                    while (!stopped && it.hasNext()) {
                        parser.line(it.next()).ifPresent(queue::add);
                    }
                }
                queue.add(new Signal(SignalKind.DISCONNECTED, "the stream ended"));
            } catch (IOException | UncheckedIOException e) {
                queue.add(new Signal(SignalKind.DISCONNECTED, RunFollower.describe(e)));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                queue.add(new Signal(SignalKind.DISCONNECTED, RunFollower.describe(e)));
            } finally {
                body = null;
            }
            if (stopped) {
                return;
            }
            try {
                Thread.sleep(Math.min(5000, 250L << Math.min(attempt++, 5)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
