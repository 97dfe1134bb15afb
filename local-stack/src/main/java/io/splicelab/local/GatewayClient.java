package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The gateway's REST API, as much of it as the command line needs. */
public final class GatewayClient {
    private final String base;
    private final HttpClient http;

    public GatewayClient(String gatewayUrl) {
        this.base = stripSlash(gatewayUrl);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The API token for mutating requests: the system property {@code splicelab.api.token}, else the
     * environment variable {@code SPLICELAB_API_TOKEN}; null when neither is set.
     */
    static String apiToken() {
        String token = System.getProperty("splicelab.api.token");
        if (token == null || token.isBlank()) {
            token = System.getenv("SPLICELAB_API_TOKEN");
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

    HttpClient http() {
        return http;
    }

    public String runUrl(String runId) {
        return base + "/api/runs/" + enc(runId);
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(runConfigJson));
        String token = apiToken();
        if (token != null) {
            request.header("X-Api-Token", token);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
            JsonNode body = parse(r.body());
            String location = r.headers().firstValue("Location").orElse(null);
            String runId = body.path("runId").asText(null);
            if (runId == null && location != null) {
                runId = location.substring(location.lastIndexOf('/') + 1);
            }
            if (runId == null || runId.isBlank()) {
                throw new GatewayException("the gateway accepted the run but named no run id: " + r.body(),
                        r.statusCode(), List.of());
            }
            return new Submitted(runId, location, body);
        }
        throw problem("the gateway refused the run (HTTP " + r.statusCode() + ")", r);
    }

    /** {@code GET /api/runs/{id}}; a 404 is a {@link GatewayException}. */
    public JsonNode run(String runId) throws IOException, InterruptedException {
        return getJson(runUrl(runId), "run " + runId);
    }

    /** {@code GET /api/runs/{id}/hybrids?cut=..&metric=..} (cut may be null for all cuts). */
    public HybridGrid hybrids(String runId, String cut, String metric) throws IOException, InterruptedException {
        return HybridGrid.fromJson(getJson(hybridsUrl(runId, cut, metric), "hybrids of run " + runId));
    }

    private JsonNode getJson(String url, String what) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
            return parse(r.body());
        }
        throw problem(r.statusCode() == 404 ? "no " + what + " at " + base : "cannot read " + what + " (HTTP "
                + r.statusCode() + ")", r);
    }

    private static GatewayException problem(String message, HttpResponse<String> r) {
        List<String> errors = new ArrayList<>();
        String detail = null;
        try {
            JsonNode p = parse(r.body());
            p.path("errors").forEach(e -> errors.add(e.path("field").asText("?") + ": " + e.path("message").asText("")));
            detail = p.path("detail").asText(p.path("title").asText(null));
        } catch (IOException e) {
            detail = r.body() == null || r.body().isBlank() ? null : r.body().strip();
        }
        StringBuilder b = new StringBuilder(message);
        if (detail != null && !detail.isBlank() && errors.isEmpty()) {
            b.append(": ").append(detail.length() > 500 ? detail.substring(0, 500) + "..." : detail);
        }
        errors.forEach(e -> b.append("\n  ").append(e));
        return new GatewayException(b.toString(), r.statusCode(), errors);
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
