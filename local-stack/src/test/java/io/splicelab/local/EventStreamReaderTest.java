package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.splicelab.local.EventStreamReader.Event;
import io.splicelab.local.EventStreamReader.Signal;
import io.splicelab.local.EventStreamReader.SignalKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The event stream as the follower reads it: the text/event-stream format, reconnects, and the signals. */
class EventStreamReaderTest {
    private static final String RUN = "run-7";

    /** Serves the run's events: connection n gets {@code bodies[n]} (the last one for any later), then ends it. */
    private static final class StreamServer implements AutoCloseable {
        final HttpServer server;
        final List<String> lastEventIds = new CopyOnWriteArrayList<>();
        private final List<String> bodies;
        private final boolean holdLast;
        private int connections;

        StreamServer(int status, boolean holdLast, String... bodies) throws IOException {
            this.bodies = List.of(bodies);
            this.holdLast = holdLast;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/runs/" + RUN + "/events", ex -> serve(ex, status));
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-event-stream");
                t.setDaemon(true);
                return t;
            }));
            server.start();
        }

        private void serve(HttpExchange ex, int status) throws IOException {
            int n;
            synchronized (this) {
                n = connections++;
            }
            lastEventIds.add(String.valueOf(ex.getRequestHeaders().getFirst("Last-Event-ID")));
            try (ex) {
                if (status != 200) {
                    byte[] b = "{\"title\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/problem+json");
                    ex.sendResponseHeaders(status, b.length);
                    ex.getResponseBody().write(b);
                    return;
                }
                ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write(bodies.get(Math.min(n, bodies.size() - 1)).getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (holdLast && n >= bodies.size() - 1) {
                    Thread.sleep(30_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the reader went away
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Object next(EventStreamReader r) throws InterruptedException {
        Object item = r.queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(item, "nothing from the stream within 10 s");
        return item;
    }

    private static void assertSignal(SignalKind kind, Object item) {
        assertTrue(item instanceof Signal s && s.kind() == kind, "expected " + kind + ", got " + item);
    }

    @Test
    void eventsCommentsAndMultiLineDataThenADisconnectAndTheReplay() throws Exception {
        String first = ": keep-alive\n\n"
                + "event: io.splicelab.run.progress\nid: 1\ndata: {\"a\":\ndata: 1}\n\n"
                + ": a comment between events\n"
                + "data:unnamed, without a space, caf\u00e9\n\n"
                + "event: ping\n\n"
                + "retry: 100\r\nevent: crlf\r\ndata: x\r\n\r\n"
                + "event: io.splicelab.run.completed\ndata: {}\n"; // no blank line: cut off, not an event
        String second = "event: io.splicelab.run.progress\nid: 1\ndata: {\"a\":\ndata: 1}\n\n";
        try (StreamServer s = new StreamServer(200, true, first, second)) {
            EventStreamReader r = new EventStreamReader(new GatewayClient(s.url()), RUN);
            r.start();
            try {
                assertSignal(SignalKind.CONNECTED, next(r));
                assertEquals(new Event("io.splicelab.run.progress", "{\"a\":\n1}"), next(r),
                        "data lines join with a newline");
                assertEquals(new Event("message", "unnamed, without a space, caf\u00e9"), next(r),
                        "an unnamed event is a message");
                Event crlf = (Event) next(r);
                assertEquals("crlf", crlf.name(), "an event without data is none; CRLF lines are lines");
                assertEquals("x", crlf.data().strip());
                Object ended = next(r);
                assertSignal(SignalKind.DISCONNECTED, ended);
                assertEquals("the stream ended", ((Signal) ended).message());
                assertSignal(SignalKind.CONNECTED, next(r));
                assertEquals(new Event("io.splicelab.run.progress", "{\"a\":\n1}"), next(r), "the replay");
                assertEquals(null, r.queue.poll(300, TimeUnit.MILLISECONDS), "the stream stays open");
                assertEquals("null", s.lastEventIds.get(0));
            } finally {
                r.stop();
            }
        }
    }

    @Test
    void anUnknownRunIsNotFoundAndEndsTheReader() throws Exception {
        try (StreamServer s = new StreamServer(404, false, "")) {
            EventStreamReader r = new EventStreamReader(new GatewayClient(s.url() + "/"), RUN);
            r.start();
            Object item = next(r);
            assertSignal(SignalKind.NOT_FOUND, item);
            assertEquals("no run " + RUN + " at " + s.url(), ((Signal) item).message());
            assertEquals(null, r.queue.poll(700, TimeUnit.MILLISECONDS), "no retries after a 404");
            r.stop();
        }
    }

    @Test
    void anUnreachableGatewayIsTriedAgainWithBackOff() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EventStreamReader r = new EventStreamReader(new GatewayClient("http://127.0.0.1:" + port), RUN);
        long start = System.nanoTime();
        r.start();
        try {
            for (int i = 0; i < 3; i++) {
                assertSignal(SignalKind.DISCONNECTED, next(r));
            }
            // 250 ms, then 500 ms between the three attempts
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(700), "back-off");
        } finally {
            r.stop();
        }
    }
}
