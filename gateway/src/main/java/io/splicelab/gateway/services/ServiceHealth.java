package io.splicelab.gateway.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.edge.health.ProducerHealth;
import io.splicelab.gateway.services.ServiceStatus.Service;
import io.splicelab.gateway.services.ServiceStatus.Services;
import io.splicelab.model.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether the parts of splicelab are up, for the dashboard's banner: the gateway itself (DOWN after a fatal
 * error), its Kafka producers ({@link ProducerHealth}) and each service whose URL is configured, by polling its
 * {@code /q/health} (in parallel, with a short timeout; a service without a URL is not shown). Cheap to call: the
 * answer is cached for {@code splicelab.services.cache} (5 s).
 */
@ApplicationScoped
public class ServiceHealth {
    private final FatalErrors fatal;
    private final ProducerHealth producers;
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final Duration timeout;
    private final Duration cacheFor;
    private final HttpClient http;
    private final Clock clock;
    private Services cached;

    public ServiceHealth(FatalErrors fatal, ProducerHealth producers,
            @ConfigProperty(name = "splicelab.services.trainer.url") Optional<String> trainer,
            @ConfigProperty(name = "splicelab.services.splicer.url") Optional<String> splicer,
            @ConfigProperty(name = "splicelab.services.stats.url") Optional<String> stats,
            @ConfigProperty(name = "splicelab.services.timeout", defaultValue = "2s") Duration timeout,
            @ConfigProperty(name = "splicelab.services.cache", defaultValue = "5s") Duration cacheFor) {
        this.fatal = fatal;
        this.producers = producers;
        trainer.filter(u -> !u.isBlank()).ifPresent(u -> urls.put("trainer", u));
        splicer.filter(u -> !u.isBlank()).ifPresent(u -> urls.put("splicer", u));
        stats.filter(u -> !u.isBlank()).ifPresent(u -> urls.put("stats", u));
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.clock = Clock.systemUTC();
    }

    /** Every service's status, at most {@code cache} old. */
    public synchronized Services services() {
        Instant now = clock.instant();
        if (cached == null || cached.checkedAt().plus(cacheFor).isBefore(now)) {
            cached = poll(now);
        }
        return cached;
    }

    private Services poll(Instant now) {
        Map<String, CompletableFuture<Service>> remote = new LinkedHashMap<>();
        urls.forEach((name, url) -> remote.put(name, check(name, url)));
        List<Service> out = new ArrayList<>();
        FatalErrors.Fatal f = fatal.first();
        out.add(new Service("gateway", f == null ? ServiceStatus.UP : ServiceStatus.DOWN,
                f == null ? null : "fatal error " + f.error() + " at " + f.at(), null));
        Map<String, String> problems = producers.problems();
        out.add(new Service("kafka", problems.isEmpty() ? ServiceStatus.UP : ServiceStatus.DOWN,
                problems.isEmpty() ? null : "producers: " + problems, null));
        remote.values().forEach(c -> out.add(c.join()));
        boolean allUp = out.stream().allMatch(s -> ServiceStatus.UP.equals(s.status()));
        return new Services(allUp ? ServiceStatus.UP : ServiceStatus.DOWN, out, now);
    }

    private CompletableFuture<Service> check(String name, String base) {
        String url = base.replaceAll("/+$", "") + "/q/health";
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json")
                    .GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Service(name, ServiceStatus.DOWN, "bad URL", url));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> judge(name, url, r.statusCode(), r.body()))
                .exceptionally(e -> new Service(name, ServiceStatus.DOWN, "unreachable: " + describe(e), url));
    }

    /** A {@code /q/health} answer: UP only for 200 with status UP (503 lists the checks that are DOWN). */
    static Service judge(String name, String url, int code, String body) {
        String status = null;
        List<String> down = new ArrayList<>();
        try {
            JsonNode json = EventCodec.mapper().readTree(body == null ? "" : body);
            status = json.path("status").asText(null);
            for (JsonNode check : json.path("checks")) {
                if (!ServiceStatus.UP.equals(check.path("status").asText())) {
                    down.add(check.path("name").asText("?"));
                }
            }
        } catch (Exception e) {
            // not JSON: judged by the status code alone
        }
        if (code == 200 && (status == null || ServiceStatus.UP.equals(status))) {
            return new Service(name, ServiceStatus.UP, null, url);
        }
        String detail = "HTTP " + code + (down.isEmpty() ? "" : ", DOWN: " + String.join(", ", down));
        return new Service(name, ServiceStatus.DOWN, detail, url);
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + " " + t.getMessage();
    }
}
