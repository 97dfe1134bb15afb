package io.splicelab.edge.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.edge.problem.Problem.FieldProblem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The last line of every service's HTTP edge: a {@link ProblemException} is its problem; a JSON body that cannot
 * be read (malformed, an unknown field, a wrong type) is a {@code 400 invalid-json} naming the field when Jackson
 * knows it; a Bean Validation failure is a {@code 400} naming every invalid field; a JAX-RS error (unknown path,
 * wrong method, unsupported media type) is a problem with its status;
 * anything else - any {@link Throwable} - is logged and answered as a {@code 500 application/problem+json} that
 * reveals nothing of the failure but where to look, and a fatal error among its causes turns the service's
 * liveness DOWN ({@link FatalErrors}).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final FatalErrors fatal;

    public ProblemMappers(FatalErrors fatal) {
        this.fatal = fatal;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().response();
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

    /**
     * A Bean Validation failure of a request ({@code @Valid} body, constrained parameter): {@code 400} naming every
     * field, {@code invalid-parameter} when only query or path parameters are at fault, else {@code invalid-body}
     * with the field's path in the body ({@code config.steps}, {@code values[2]}). A violated return value is the
     * service's own bug: a 500 like any other.
     */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<FieldProblem> errors = new ArrayList<>();
        boolean parametersOnly = true;
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            List<Path.Node> nodes = new ArrayList<>();
            v.getPropertyPath().forEach(nodes::add);
            if (nodes.stream().anyMatch(n -> n.getKind() == ElementKind.RETURN_VALUE)) {
                return unexpected(e);
            }
            // drop the resource method and, unless it is the field itself, the parameter (the body)
            nodes.removeIf(n -> n.getKind() == ElementKind.METHOD || n.getKind() == ElementKind.CONSTRUCTOR);
            if (nodes.size() > 1 && nodes.get(0).getKind() == ElementKind.PARAMETER) {
                nodes.remove(0);
                parametersOnly = false;
            }
            errors.add(new FieldProblem(field(nodes), v.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message));
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return (parametersOnly
                ? new Problem(Problem.TYPE_BASE + "invalid-parameter", "Invalid parameter", 400, detail, errors)
                : new Problem(Problem.TYPE_BASE + "invalid-body", "Invalid request body", 400, detail, errors))
                .response();
    }

    private static String field(List<Path.Node> nodes) {
        StringBuilder out = new StringBuilder();
        for (Path.Node n : nodes) {
            if (n.getName() != null && !n.getName().isEmpty() && n.getKind() != ElementKind.CONTAINER_ELEMENT) {
                out.append(out.isEmpty() ? "" : ".").append(n.getName());
            }
            if (n.getIndex() != null) {
                out.append('[').append(n.getIndex()).append(']');
            } else if (n.getKey() != null) {
                out.append('[').append(n.getKey()).append(']');
            }
        }
        return out.toString();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
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
        if (fatal.check(e, "a request")) {
            LOG.error("fatal error in a request", e);
        } else {
            LOG.error("unexpected failure of a request", e);
        }
        return internal().response();
    }

    /** The one 500 problem: no class names, messages or stack traces of the failure. */
    public static Problem internal() {
        return Problem.of(500, "internal", "Internal error", "an unexpected error occurred; see the service's log");
    }

    private static Response badJson(String detail, List<FieldProblem> errors) {
        return new Problem(Problem.TYPE_BASE + "invalid-json", "Invalid JSON body", 400, detail, errors).response();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
