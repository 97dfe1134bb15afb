package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import io.splicelab.model.auth.ApiTokens;
import io.splicelab.model.events.EventCodec;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's REST API, as much of it as the command line needs, over the JAX-RS client (RESTEasy, standalone;
 * JSON through Jackson with the events' own mapper). One JAX-RS client per read timeout: 30 s for requests, 3 s
 * for the services probe, none for event streams, which may stay quiet for long; every one connects within 5 s.
 * Transport failures are {@link IOException}s, refusals {@link GatewayException}s, as the callers expect.
 */
public final class GatewayClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SERVICES_TIMEOUT = Duration.ofSeconds(3);
    /** The read timeout of the event streams' client: none. */
    private static final Duration NO_TIMEOUT = Duration.ZERO;

    /** Shared by every GatewayClient of the process: JAX-RS clients are thread-safe, and one never closed is fine. */
    private static final Map<Duration, Client> CLIENTS = new ConcurrentHashMap<>();

    private final String base;

    /** @throws IllegalArgumentException when the URL is not one a gateway can have ({@link GatewayUrl#check}) */
    public GatewayClient(String gatewayUrl) {
        this.base = GatewayUrl.check(gatewayUrl);
    }

    /**
     * The API token for mutating requests: the system property {@code splicelab.api.token}, else the
     * environment variable {@code SPLICELAB_API_TOKEN}; null when neither is set.
     */
    static String apiToken() {
        String token = System.getProperty("splicelab.api.token");
        if (token == null || token.isBlank()) {
            token = System.getenv(ApiTokens.ENV);
        }
        return token == null || token.isBlank() ? null : token.trim();
    }

    static String stripSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    public String baseUrl() {
        return base;
    }

    public String runUrl(String runId) {
        return base + "/api/runs/" + enc(runId);
    }

    /** The run's page on the dashboard, for people. */
    public String dashboardRunUrl(String runId) {
        return base + "/run.html?id=" + enc(runId);
    }

    /** The zip of everything about the run ({@code GET /api/runs/{id}/bundle}). */
    public String bundleUrl(String runId) {
        return runUrl(runId) + "/bundle";
    }

    public String eventsUrl(String runId) {
        return runUrl(runId) + "/events";
    }

    public String hybridsUrl(String runId, String cut, String metric) {
        StringBuilder b = new StringBuilder(runUrl(runId)).append("/hybrids");
        String sep = "?";
        if (cut != null) {
            b.append(sep).append("cut=").append(enc(cut));
            sep = "&";
        }
        if (metric != null) {
            b.append(sep).append("metric=").append(enc(metric));
        }
        return b.toString();
    }

    /**
     * The run's event stream ({@link #eventsUrl}) as a JAX-RS target without a read timeout, for a
     * {@link jakarta.ws.rs.sse.SseEventSource}; each call is a target of its own, to register filters on.
     */
    WebTarget eventsTarget(String runId) {
        return client(NO_TIMEOUT).target(eventsUrl(runId));
    }

    /** A run accepted by the gateway. */
    public record Submitted(String runId, String location, JsonNode body) {
    }

    /** The gateway refused the request; {@code errors} are the invalid fields of a 400 problem. */
    public static final class GatewayException extends IOException {
        private final int status;
        private final List<String> errors;

        public GatewayException(String message, int status, List<String> errors) {
            super(message);
            this.status = status;
            this.errors = List.copyOf(errors);
        }

        public int status() {
            return status;
        }

        /** {@code field: message}, one per invalid field. */
        public List<String> errors() {
            return errors;
        }
    }

    /** {@code POST /api/runs}: 202 with the run id, or a {@link GatewayException} that names every invalid field. */
    public Submitted submit(String runConfigJson) throws IOException, InterruptedException {
        Invocation.Builder request = client(REQUEST_TIMEOUT).target(base + "/api/runs")
                .request(MediaType.APPLICATION_JSON_TYPE);
        String token = apiToken();
        if (token != null) {
            request.header("X-Api-Token", token);
        }
        try (Response r = send(() -> request.post(Entity.entity(runConfigJson, MediaType.APPLICATION_JSON_TYPE)))) {
            if (r.getStatusInfo().getFamily() == Response.Status.Family.SUCCESSFUL) {
                String text = body(r);
                JsonNode body = parse(text);
                String location = r.getHeaderString("Location");
                String runId = body.path("runId").asText(null);
                if (runId == null && location != null) {
                    runId = location.substring(location.lastIndexOf('/') + 1);
                }
                if (runId == null || runId.isBlank()) {
                    throw new GatewayException("the gateway accepted the run but named no run id: " + text,
                            r.getStatus(), List.of());
                }
                return new Submitted(runId, location, body);
            }
            throw problem("the gateway refused the run (HTTP " + r.getStatus() + ")", r);
        }
    }

    /**
     * {@code POST /api/claims}: starts the experiment that tests the paper's claims; its answer (experiment id, runs),
     * or a {@link GatewayException} (a gateway without the endpoint: status 404).
     */
    public JsonNode startClaims(String bodyJson) throws IOException, InterruptedException {
        Invocation.Builder request = client(REQUEST_TIMEOUT).target(base + "/api/claims")
                .request(MediaType.APPLICATION_JSON_TYPE);
        String token = apiToken();
        if (token != null) {
            request.header("X-Api-Token", token);
        }
        try (Response r = send(() -> request.post(Entity.entity(bodyJson, MediaType.APPLICATION_JSON_TYPE)))) {
            if (r.getStatusInfo().getFamily() == Response.Status.Family.SUCCESSFUL) {
                return parse(body(r));
            }
            throw problem("the gateway refused the claims experiment (HTTP " + r.getStatus() + ")", r);
        }
    }

    /** {@code GET /api/experiments/{id}}: the experiment compared per variant. */
    public JsonNode experiment(String id) throws IOException, InterruptedException {
        return getJson(base + "/api/experiments/" + enc(id), "experiment " + id, REQUEST_TIMEOUT);
    }

    /** {@code GET /api/experiments/{id}/claims}: the claims report as JSON. */
    public JsonNode claims(String id) throws IOException, InterruptedException {
        return getJson(base + "/api/experiments/" + enc(id) + "/claims", "claims of " + id, REQUEST_TIMEOUT);
    }

    /** The same report as text. */
    public String claimsText(String id) throws IOException, InterruptedException {
        Invocation.Builder request = client(REQUEST_TIMEOUT).target(base + "/api/experiments/" + enc(id) + "/claims")
                .request(MediaType.TEXT_PLAIN_TYPE);
        try (Response r = send(request::get)) {
            if (r.getStatus() == 200) {
                return body(r);
            }
            throw problem("cannot read the claims of " + id + " (HTTP " + r.getStatus() + ")", r);
        }
    }

    /** {@code GET /api/runs/{id}}; a 404 is a {@link GatewayException}. */
    public JsonNode run(String runId) throws IOException, InterruptedException {
        return getJson(runUrl(runId), "run " + runId, REQUEST_TIMEOUT);
    }

    /** {@code GET /api/runs/{id}/hybrids?cut=..&metric=..} (cut may be null for all cuts). */
    public HybridGrid hybrids(String runId, String cut, String metric) throws IOException, InterruptedException {
        return HybridGrid.fromJson(getJson(hybridsUrl(runId, cut, metric), "hybrids of run " + runId,
                REQUEST_TIMEOUT));
    }

    /** One page of the run list: the runs, newest first, and how many match in all ({@code X-Total-Count}). */
    public record RunPage(List<JsonNode> runs, long total) {
    }

    /** {@code GET /api/runs?status=&size=} (the first page, newest first). */
    public RunPage runs(String status, int size) throws IOException, InterruptedException {
        String url = base + "/api/runs?size=" + size + (status == null ? "" : "&status=" + enc(status));
        Invocation.Builder request = client(REQUEST_TIMEOUT).target(url).request(MediaType.APPLICATION_JSON_TYPE);
        try (Response r = send(request::get)) {
            if (r.getStatus() != 200) {
                throw problem("cannot list the runs at " + base + " (HTTP " + r.getStatus() + ")", r);
            }
            JsonNode body = readJson(r);
            List<JsonNode> runs = new ArrayList<>();
            if (body != null) {
                body.forEach(runs::add);
            }
            long total = runs.size();
            String header = r.getHeaderString("X-Total-Count");
            if (header != null && header.strip().matches("\\d+")) {
                total = Long.parseLong(header.strip());
            }
            return new RunPage(runs, total);
        }
    }

    /**
     * Downloads the run's bundle ({@link #bundleUrl}) into {@code target}, through a temporary file next to it, so
     * a broken download leaves nothing behind; returns its size in bytes. A 404 is a {@link GatewayException}.
     */
    public long downloadBundle(String runId, java.nio.file.Path target) throws IOException, InterruptedException {
        Invocation.Builder request = client(REQUEST_TIMEOUT).target(bundleUrl(runId)).request("application/zip");
        try (Response r = send(request::get)) {
            if (r.getStatus() != 200) {
                throw problem(r.getStatus() == 404 ? "no run " + runId + " at " + base
                        : "cannot download the bundle of run " + runId + " (HTTP " + r.getStatus() + ")", r);
            }
            java.nio.file.Path dir = target.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path partial = java.nio.file.Files.createTempFile(dir, ".bundle-", ".part");
            try (java.io.InputStream in = r.readEntity(java.io.InputStream.class)) {
                long size = java.nio.file.Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                java.nio.file.Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return size;
            } catch (ProcessingException e) {
                throw transportFailure(e);
            } finally {
                java.nio.file.Files.deleteIfExists(partial);
            }
        }
    }

    /**
     * {@code GET /api/services} ({@code [{name, status}]}), with a short timeout: the follower asks between
     * events; a gateway without the endpoint answers a {@link GatewayException} with status 404.
     */
    public JsonNode services() throws IOException, InterruptedException {
        return getJson(base + "/api/services", "services", SERVICES_TIMEOUT);
    }

    private JsonNode getJson(String url, String what, Duration timeout) throws IOException, InterruptedException {
        Invocation.Builder request = client(timeout).target(url).request(MediaType.APPLICATION_JSON_TYPE);
        try (Response r = send(request::get)) {
            if (r.getStatus() == 200) {
                JsonNode body = readJson(r);
                return body == null ? EventCodec.mapper().createObjectNode() : body;
            }
            throw problem(r.getStatus() == 404 ? "no " + what + " at " + base : "cannot read " + what + " (HTTP "
                    + r.getStatus() + ")", r);
        }
    }

    /** The JAX-RS client of one read timeout ({@link #NO_TIMEOUT}: none), made on first use. */
    private static Client client(Duration readTimeout) {
        return CLIENTS.computeIfAbsent(readTimeout, t -> {
            ClientBuilder b = ClientBuilder.newBuilder()
                    .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .register(new JacksonJsonProvider(EventCodec.mapper()));
            if (!t.isZero()) {
                b.readTimeout(t.toMillis(), TimeUnit.MILLISECONDS);
            }
            return b.build();
        });
    }

    /** Sends a request: its answer, or the failure as an {@link IOException} (the cause the JAX-RS client wrapped). */
    private static Response send(Supplier<Response> call) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            return call.get();
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    /** The I/O failure inside a JAX-RS {@link ProcessingException}, so callers see a ConnectException as before. */
    static IOException transportFailure(ProcessingException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return new IOException(e.getMessage(), e);
    }

    private static JsonNode readJson(Response r) throws IOException {
        try {
            return r.readEntity(JsonNode.class);
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    private static String body(Response r) throws IOException {
        try {
            return r.hasEntity() ? r.readEntity(String.class) : "";
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    private static GatewayException problem(String message, Response r) throws IOException {
        String text = body(r);
        List<String> errors = new ArrayList<>();
        String detail = null;
        try {
            JsonNode p = parse(text);
            p.path("errors").forEach(e -> errors.add(e.path("field").asText("?") + ": " + e.path("message").asText("")));
            detail = p.path("detail").asText(p.path("title").asText(null));
        } catch (IOException e) {
            detail = text == null || text.isBlank() ? null : text.strip();
        }
        StringBuilder b = new StringBuilder(message);
        if (detail != null && !detail.isBlank() && errors.isEmpty()) {
            b.append(": ").append(detail.length() > 500 ? detail.substring(0, 500) + "..." : detail);
        }
        errors.forEach(e -> b.append("\n  ").append(e));
        return new GatewayException(b.toString(), r.getStatus(), errors);
    }

    static JsonNode parse(String body) throws IOException {
        if (body == null || body.isBlank()) {
            return EventCodec.mapper().createObjectNode();
        }
        return EventCodec.mapper().readTree(body);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
