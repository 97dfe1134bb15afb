package io.splicelab.stats.adhoc;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail, the project's one error shape (the gateway answers the same), so that the
 * gateway can pass the stats service's errors through unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://splicelab.io/problems/";

    /** 400: the body cannot be analysed. */
    public static Problem badRequest(String detail, String field) {
        return new Problem(TYPE_BASE + "invalid-analysis-input", "Invalid analysis input", 400, detail, field);
    }

    /** 404: no such analysis. */
    public static Problem notFound(String detail) {
        return new Problem(TYPE_BASE + "not-found", "Not found", 404, detail, null);
    }

    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
