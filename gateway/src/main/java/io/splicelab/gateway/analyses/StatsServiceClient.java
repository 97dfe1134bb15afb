package io.splicelab.gateway.analyses;

import io.splicelab.edge.auth.ApiToken;
import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The gateway's calls to the stats service ({@link StatsApi}, the Quarkus REST client) with SmallRye Fault
 * Tolerance: each call is bounded in time; the idempotent reads are retried on a connection error or a 5xx; a
 * circuit breaker stops calling a stats service that keeps failing (the gateway answers 503 at once instead of
 * piling up waiting requests); the stack's API token goes along as {@code X-Api-Token} (the stats service's
 * {@code POST /api/analyses/*} needs it when configured). An analysis (a POST that costs compute) is never
 * retried. What cannot be answered becomes a problem: 502 {@code stats-unavailable} (unreachable, or a 5xx),
 * 503 when the circuit is open, 504 on a timeout ({@link StatsProblems}).
 */
@ApplicationScoped
public class StatsServiceClient {
    /** What the stats service answered. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    private final StatsApi api;
    private final ApiToken token;

    public StatsServiceClient(@RestClient StatsApi api, ApiToken token) {
        this.api = api;
        this.token = token;
    }

    /** The analyses the stats service offers. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = {ProcessingException.class, StatsServerError.class})
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000,
            failOn = {ProcessingException.class, StatsServerError.class})
    public Answer analyses() {
        return answer(() -> api.analyses(forwarded()));
    }

    /** A run's report. */
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = {ProcessingException.class, StatsServerError.class})
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000,
            failOn = {ProcessingException.class, StatsServerError.class})
    public Answer report(String runId) {
        return answer(() -> api.report(runId, forwarded()));
    }

    /** Runs an analysis on the body (not retried: it costs compute and is not ours to repeat). */
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000,
            failOn = {ProcessingException.class, StatsServerError.class})
    public Answer analyse(String name, byte[] body) {
        return answer(() -> api.analyse(name, forwarded(), body == null ? new byte[0] : body));
    }

    private String forwarded() {
        return token.forwarded().orElse(null);
    }

    private static Answer answer(Supplier<Response> call) {
        Response response;
        try {
            response = call.get();
        } catch (WebApplicationException e) {
            response = e.getResponse(); // an error answer, when a default exception mapper is on: passed through too
        }
        try (Response r = response) {
            byte[] body = r.hasEntity() ? r.readEntity(byte[].class) : new byte[0];
            Answer a = new Answer(r.getStatus(), r.getMediaType() == null ? "application/json"
                    : r.getMediaType().toString(), body);
            if (a.status() >= 500) {
                throw new StatsServerError(a);
            }
            return a;
        }
    }

    /** A 5xx of the stats service: retried (reads), counted by the circuit breaker, then a 502 problem. */
    public static final class StatsServerError extends ProblemException {
        StatsServerError(Answer a) {
            super(new Problem(Problem.TYPE_BASE + "stats-unavailable", "Bad gateway", 502,
                    "the stats service answered " + a.status(), null));
        }
    }
}
