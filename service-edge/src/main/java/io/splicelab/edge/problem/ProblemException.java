package io.splicelab.edge.problem;

/**
 * Thrown anywhere in a request to answer with a problem; {@link ProblemMappers} turns it into the response.
 * Lets domain code report an HTTP-level outcome without building JAX-RS responses.
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
        return new ProblemException(Problem.of(404, "not-found", "Not found", what));
    }

    /** 400 for an invalid query parameter, naming it. */
    public static ProblemException invalidParameter(String parameter, String message) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid-parameter", "Invalid parameter", 400,
                parameter + ": " + message, java.util.List.of(new Problem.FieldProblem(parameter, message))));
    }

    /** 409: the request conflicts with the current state of the resource. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "conflict", "Conflict", detail));
    }

    /** 503: a dependency (Kafka, another service) did not take the request in time. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of(503, "unavailable", "Service unavailable", detail));
    }
}
