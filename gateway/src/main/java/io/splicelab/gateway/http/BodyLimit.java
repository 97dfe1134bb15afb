package io.splicelab.gateway.http;

import io.splicelab.edge.problem.Problem;
import io.splicelab.model.events.EventCodec;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request body larger than {@code splicelab.http.max-json-body} (1 MB) anywhere but the imports, before it
 * is read: the HTTP limit has to let an import archive of hundreds of megabytes through, and a JSON body that size
 * (a run configuration with millions of list entries) would be read into memory whole and run the heap out. Checked
 * on the declared {@code Content-Length}; answered {@code 413} problem+json.
 */
@ApplicationScoped
public class BodyLimit {
    static final String IMPORTS = "/api/imports";

    private final long maxBytes;

    public BodyLimit(@ConfigProperty(name = "splicelab.http.max-json-body", defaultValue = "1048576") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(ctx.normalizedPath(), length)) {
                Problem problem = new Problem(Problem.TYPE_BASE + "body-too-large", "Request body too large", 413,
                        "the body has " + length.strip() + " bytes; at most " + maxBytes + " are accepted here", null);
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close").end(EventCodec.toJson(problem));
                return;
            }
            ctx.next();
        });
    }

    boolean tooLarge(String path, String contentLength) {
        if (path != null && (path.equals(IMPORTS) || path.startsWith(IMPORTS + "/"))) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.strip()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
