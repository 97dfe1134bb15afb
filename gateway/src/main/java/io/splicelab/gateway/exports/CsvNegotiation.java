package io.splicelab.gateway.exports;

import io.splicelab.edge.problem.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * How an endpoint with a CSV form chooses it, the same everywhere: {@code ?format=csv} or {@code ?format=json}
 * wins (anything else is a 400 naming {@code format}); else the first acceptable type of {@code Accept} that is
 * JSON (or anything) or CSV decides; JSON by default.
 */
public final class CsvNegotiation {
    /** The {@code format} parameter's OpenAPI description. */
    public static final String FORMAT = "json or csv; overrides Accept";

    private CsvNegotiation() {
    }

    /** Whether the request asks for CSV; a 400 problem naming {@code format} when it is neither json nor csv. */
    public static boolean wantsCsv(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            if (format.strip().equalsIgnoreCase("csv")) {
                return true;
            }
            if (format.strip().equalsIgnoreCase("json")) {
                return false;
            }
            throw ProblemException.invalidParameter("format", "must be json or csv");
        }
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(TidyCsv.MEDIA_TYPE))) {
                return true;
            }
        }
        return false;
    }

    /** A 200 with the table as CSV, streamed, named {@code fileName} for a browser that saves it. */
    public static Response csv(TidyCsv.Table table, String fileName) {
        StreamingOutput body = out -> TidyCsv.write(table, out);
        return Response.ok(body, TidyCsv.MEDIA_TYPE + ";charset=UTF-8")
                .header("Content-Disposition", "inline; filename=\"" + fileName + "\"").build();
    }
}
