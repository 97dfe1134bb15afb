package io.splicelab.edge.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The last line of every service's HTTP edge: a {@link ProblemException} is its problem; a JAX-RS error
 * (unknown path, wrong method, unsupported media type) is a problem with its status; anything else - any
 * {@link Throwable} - is logged and answered as a {@code 500 application/problem+json} that reveals nothing
 * of the failure but where to look. Services map their own input errors (400) more specifically.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().response();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return Problem.of(status, "http-" + status, known == null ? "Error" : known.getReasonPhrase(), e.getMessage())
                .response();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure of a request", e);
        return Problem.of(500, "internal", "Internal error", "an unexpected error occurred; see the service's log")
                .response();
    }
}
