package io.splicelab.gateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.splicelab.gateway.health.FatalErrors;
import io.splicelab.gateway.problem.Problem.FieldProblem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure of a request to an {@code application/problem+json} response: our own
 * {@link ProblemException}s, JSON that cannot be read (malformed, unknown field, wrong type: all 400 with the
 * field named when Jackson knows it) and JAX-RS errors (unknown path, wrong method, ...).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final FatalErrors fatal;

    public ProblemMappers(FatalErrors fatal) {
        this.fatal = fatal;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response unrecognizedField(UnrecognizedPropertyException e) {
        return badJson("unknown field '" + e.getPropertyName() + "'",
                List.of(new FieldProblem(e.getPropertyName(), "unknown field")));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        String field = path(e);
        String message = "cannot read " + (e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName());
        return badJson(field.isEmpty() ? "the body is not a valid JSON object of the expected shape"
                : field + ": " + message, field.isEmpty() ? null : List.of(new FieldProblem(field, message)));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return badJson("the body is not valid JSON: " + e.getOriginalMessage(), null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            return unrecognizedField(u);
        }
        if (cause instanceof MismatchedInputException m) {
            return mismatchedInput(m);
        }
        if (cause instanceof JsonProcessingException j) {
            return unreadableJson(j);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem(Problem.TYPE_BASE + "http-" + status, title, status, e.getMessage(), null));
    }

    /**
     * Anything else, errors included ({@link OutOfMemoryError} answered {@code text/plain} with a stack trace
     * before): a 500 problem that says nothing of the internals; a fatal error also turns the gateway's liveness
     * DOWN ({@link FatalErrors}).
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (fatal.check(e)) {
            LOG.error("fatal error in a request", e);
        } else {
            LOG.error("unexpected failure of a request", e);
        }
        return respond(internal());
    }

    /** The one 500 problem: no class names, messages or stack traces of the failure. */
    public static Problem internal() {
        return new Problem(Problem.TYPE_BASE + "internal", "Internal error", 500,
                "an unexpected error occurred; see the gateway log", null);
    }

    private static Response badJson(String detail, List<FieldProblem> errors) {
        return respond(new Problem(Problem.TYPE_BASE + "invalid-json", "Invalid JSON body", 400, detail, errors));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** The response for a problem: its status and the problem media type. */
    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
