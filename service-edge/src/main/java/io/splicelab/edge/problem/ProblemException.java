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
}
