package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.splicelab.model.events.EventCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A gateway that speaks the REST/SSE contract for one run, from canned events. */
final class FakeGateway implements AutoCloseable {
    final String runId;
    /** {@code GET /api/services}; null: 404, like a gateway without it. */
    volatile JsonNode services;
    final List<String[]> events = new CopyOnWriteArrayList<>(); // {type, envelope json}
    volatile ObjectNode run;
    volatile ObjectNode hybrids;
    /** {@code GET /api/runs}: the list's body, and its {@code X-Total-Count}. */
    volatile JsonNode runList = EventCodec.mapper().createArrayNode();
    volatile long runTotal = -1;
    /** {@code GET /api/runs/{id}/bundle}: the zip; null: 404. */
    volatile byte[] bundle;
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** On the first connection, close the stream after this many events (-1: never). */
    volatile int dropFirstConnectionAfter = -1;
    volatile int eventsStatus = 200;
    final AtomicInteger eventConnections = new AtomicInteger();
    final AtomicInteger hybridRequests = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-gateway");
        t.setDaemon(true);
        return t;
    });

    FakeGateway(String runId) throws IOException {
        this.runId = runId;
        this.run = Fixtures.obj().put("runId", runId).put("status", "REQUESTED");
        this.hybrids = Fixtures.hybridsResponse(runId, List.of(), List.of());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/api/runs", this::handle);
        server.createContext("/api/services", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void event(String type, JsonNode data) {
        events.add(new String[] {type, EventCodec.toJson(Fixtures.envelope(type, runId, data))});
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String base = "/api/runs/" + runId;
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        try {
            if (ex.getRequestMethod().equals("GET") && path.equals("/api/runs")) {
                ex.getResponseHeaders().add("X-Total-Count", String.valueOf(runTotal >= 0 ? runTotal : runList.size()));
                send(ex, 200, "application/json", EventCodec.toJson(runList));
            } else if (path.equals(base + "/bundle") && bundle != null) {
                ex.getResponseHeaders().add("Content-Type", "application/zip");
                ex.sendResponseHeaders(200, bundle.length);
                ex.getResponseBody().write(bundle);
            } else if (ex.getRequestMethod().equals("POST") && path.equals("/api/runs")) {
                JsonNode cfg = EventCodec.mapper().readTree(ex.getRequestBody());
                if (cfg.path("steps").asInt() < 1) {
                    ObjectNode p = Fixtures.obj().put("type", "about:blank").put("title", "invalid run configuration")
                            .put("status", 400);
                    p.putArray("errors").addObject().put("field", "steps").put("message", "must be between 1 and 10000000");
                    send(ex, 400, "application/problem+json", EventCodec.toJson(p));
                } else {
                    ex.getResponseHeaders().add("Location", base);
                    send(ex, 202, "application/json", EventCodec.toJson(Fixtures.obj().put("runId", runId)
                            .put("status", "REQUESTED")));
                }
            } else if (path.equals(base)) {
                send(ex, 200, "application/json", EventCodec.toJson(run));
            } else if (path.equals(base + "/hybrids")) {
                hybridRequests.incrementAndGet();
                send(ex, 200, "application/json", EventCodec.toJson(hybrids));
            } else if (path.equals("/api/services") && services != null) {
                send(ex, 200, "application/json", EventCodec.toJson(services));
            } else if (path.equals(base + "/events")) {
                stream(ex);
            } else {
                send(ex, 404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404}");
            }
        } finally {
            ex.close();
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        int connection = eventConnections.incrementAndGet();
        if (eventsStatus != 200) {
            send(ex, eventsStatus, "text/plain", "broken");
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        int sent = 0;
        try {
            out.write(": hello\n\n".getBytes(StandardCharsets.UTF_8));
            while (true) {
                while (sent < events.size()) {
                    if (connection == 1 && sent == dropFirstConnectionAfter) {
                        return;
                    }
                    String[] e = events.get(sent++);
                    out.write(("event: " + e[0] + "\nid: " + sent + "\ndata: " + e[1] + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the follower went away
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
