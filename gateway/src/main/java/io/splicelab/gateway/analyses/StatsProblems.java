package io.splicelab.gateway.analyses;

import io.splicelab.edge.problem.Problem;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The problems of a call to the stats service that did not get an answer ({@link StatsServiceClient}): unreachable
 * (502), the circuit open (503), too slow (504). The only REST client of the gateway is the stats service's.
 */
public class StatsProblems {
    @ServerExceptionMapper
    public Response unreachable(ProcessingException e) {
        return new Problem(Problem.TYPE_BASE + "stats-unavailable", "Bad gateway", 502,
                "the stats service did not answer: " + e.getMessage(), null).response();
    }

    @ServerExceptionMapper
    public Response circuitOpen(CircuitBreakerOpenException e) {
        return Problem.of(503, "unavailable", "Service unavailable",
                "the stats service failed repeatedly; calls are paused for a few seconds").response();
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return Problem.of(504, "stats-timeout", "Gateway timeout", "the stats service did not answer in time")
                .response();
    }
}
