package io.splicelab.gateway.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail. Every error the gateway answers has this one shape, so a client needs a
 * single error handler, and a validation problem names the offending fields instead of only saying "bad
 * request".
 *
 * @param type a URI identifying the kind of problem
 * @param title a short, fixed summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong in this occurrence
 * @param errors the invalid fields or parameters, when the problem is about input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldProblem> errors) {

    /** The media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** The base of every problem type URI. */
    public static final String TYPE_BASE = "https://splicelab.io/problems/";

    /** One invalid field (of a body) or parameter (of a query) and why. */
    public record FieldProblem(String field, String message) {
    }
}
