package io.splicelab.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a Quarkus service how it is, over its SmallRye Health endpoints: {@code /q/health/ready} (may it take
 * work: used while starting), {@code /q/health/live} (is it still working: a DOWN here is what restarts a
 * service; readiness is also DOWN while Kafka is away, which the services survive) and {@code /q/health}
 * (both, for the console).
 */
public final class HealthProbe {
    /** A health answer. */
    public enum Health {
        UP, DOWN, UNREACHABLE;

        public boolean up() {
            return this == UP;
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    public HealthProbe() {
        this(Duration.ofSeconds(3));
    }

    public HealthProbe(Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        this.timeout = timeout;
    }

    /** UP only on 200: a service is ready when it says so. */
    public Health ready(String baseUrl) {
        int code = status(baseUrl + "/q/health/ready");
        return code == 200 ? Health.UP : code < 0 ? Health.UNREACHABLE : Health.DOWN;
    }

    public Health live(String baseUrl) {
        return lenient(status(baseUrl + "/q/health/live"));
    }

    public Health overall(String baseUrl) {
        return lenient(status(baseUrl + "/q/health"));
    }

    /** 503 (a check is DOWN) is DOWN; any other answer means the service runs; no answer: UNREACHABLE. */
    private static Health lenient(int code) {
        return code < 0 ? Health.UNREACHABLE : code == 503 ? Health.DOWN : Health.UP;
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
