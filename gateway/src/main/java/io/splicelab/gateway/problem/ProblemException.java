package io.splicelab.gateway.problem;

import io.splicelab.gateway.problem.Problem.FieldProblem;
import java.util.List;

/**
 * Thrown anywhere in a request to answer with a problem; {@link ProblemMappers} turns it into the response.
 * Lets services report an HTTP-level outcome without depending on JAX-RS types.
 */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    /** 404: the named thing does not exist. */
    public static ProblemException notFound(String what) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "not-found", "Not found", 404, what, null));
    }

    /** 400 for an invalid run configuration, naming every invalid field. */
    public static ProblemException invalidRunConfig(String detail, List<FieldProblem> errors) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid-run-config", "Invalid run configuration",
                400, detail, errors));
    }

    /** 400 for an invalid query parameter, naming it. */
    public static ProblemException invalidParameter(String parameter, String message) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid-parameter", "Invalid parameter", 400,
                parameter + ": " + message, List.of(new FieldProblem(parameter, message))));
    }

    /** 409: the request conflicts with the current state of the resource. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "conflict", "Conflict", 409, detail, null));
    }

    /** 503: a dependency (Kafka) did not take the request in time. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "unavailable", "Service unavailable", 503, detail,
                null));
    }
}
