package io.splicelab.gateway.analyses;

import io.splicelab.edge.auth.ApiToken;
import io.splicelab.edge.auth.ApiTokenFilter;

import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Talks to the stats service over HTTP with the JDK client (no extra extension, nothing generated): the
 * gateway passes the stats service's answers through unchanged, so it needs bytes, status and media type,
 * not typed models. The base URL is {@code splicelab.stats.url}. The stack's API token is forwarded as
 * {@code X-Api-Token}.
 */
@ApplicationScoped
public class StatsServiceClient {
    /** What the stats service answered. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final ApiToken token;

    public StatsServiceClient(@ConfigProperty(name = "splicelab.stats.url", defaultValue = "http://localhost:8083")
            String url, @ConfigProperty(name = "splicelab.stats.timeout", defaultValue = "PT120S") Duration timeout,
            ApiToken token) {
        this.token = token;
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** GET a path of the stats service (relative, e.g. {@code api/analyses}). */
    public Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json")
                .GET());
    }

    /** POST a body to a path of the stats service. */
    public Answer post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", contentType == null ? "application/json" : contentType)
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body)));
    }

    private Answer send(HttpRequest.Builder builder) {
        // the stats service's POST /api/analyses/* needs the stack's API token when one is configured
        token.forwarded().ifPresent(t -> builder.header(ApiTokenFilter.TOKEN_HEADER, t));
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"),
                    r.body());
        } catch (IOException e) {
            throw new ProblemException(new Problem(Problem.TYPE_BASE + "stats-unavailable", "Bad gateway", 502,
                    "the stats service at " + base + " did not answer: " + e.getMessage(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted while waiting for the stats service");
        }
    }
}
