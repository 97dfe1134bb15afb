package io.splicelab.gateway.runs;

import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.Problem.FieldProblem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.RunConfig.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Completes a requested configuration with defaults and rejects an invalid one with a problem naming every
 * bad field, so a mistake fails at the gateway instead of deep inside the trainer.
 */
public final class RunConfigValidation {
    private static final RunConfig NOTHING = new RunConfig(null, null, null, null, null, null, null, null, null,
            null, null);

    private RunConfigValidation() {
    }

    /**
     * @param requested the body of the request; null (no body) means all defaults
     * @return the configuration with defaults filled in
     * @throws ProblemException 400 {@code invalid-run-config} listing every invalid field
     */
    public static RunConfig validated(RunConfig requested) {
        RunConfig config = (requested == null ? NOTHING : requested).withDefaults();
        List<FieldError> errors = config.validate();
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
            throw invalid(detail,
                    errors.stream().map(e -> new FieldProblem(e.field(), e.message())).toList());
        }
        return config;
    }

    /** 400 for an invalid run configuration, naming every invalid field. */
    public static ProblemException invalid(String detail, List<FieldProblem> errors) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid-run-config", "Invalid run configuration",
                400, detail, errors));
    }
}
