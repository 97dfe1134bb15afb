package io.splicelab.stats.adhoc;

/**
 * The body of an ad-hoc analysis request is unusable (ragged or non-numeric arrays, a non-finite value,
 * too few samples, a size over {@link AnalysisLimits}); the message says what is wrong and where, and
 * becomes the {@code detail} of a 400 problem.
 */
public class BadAnalysisRequestException extends RuntimeException {
    private final String field;

    public BadAnalysisRequestException(String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
    }

    /** The offending field of the body, or null. */
    public String field() {
        return field;
    }
}
