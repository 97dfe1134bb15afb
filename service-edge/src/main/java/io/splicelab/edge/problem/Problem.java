package io.splicelab.edge.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail: the one error shape of every service's HTTP API, so a client (and the gateway,
 * which passes the services' errors through) needs a single error handler, and a problem about input names
 * the offending fields.
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

    /** A problem of a kind ({@code TYPE_BASE + kind}) without field errors. */
    public static Problem of(int status, String kind, String title, String detail) {
        return new Problem(TYPE_BASE + kind, title, status, detail, null);
    }

    /** A problem about one field (null: none named). */
    public static Problem ofField(int status, String kind, String title, String detail, String field) {
        return new Problem(TYPE_BASE + kind, title, status, detail,
                field == null ? null : List.of(new FieldProblem(field, detail)));
    }

    /** The response: this problem's status, the problem media type, this problem as the body. */
    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
