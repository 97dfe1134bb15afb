package io.splicelab.gateway.auth;

import io.splicelab.gateway.problem.Problem;
import io.splicelab.gateway.problem.ProblemMappers;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Rejects a mutating request under {@code /api} without the API token with a 401 problem. One filter for
 * every endpoint, so a new mutating endpoint is protected without remembering an annotation. The token is
 * read from {@code Authorization: Bearer <token>} or {@code X-Api-Token: <token>}.
 */
public class ApiTokenFilter {
    /** The alternative header for clients that cannot set {@code Authorization}. */
    public static final String TOKEN_HEADER = "X-Api-Token";
    private static final Set<String> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final ApiToken token;

    public ApiTokenFilter(ApiToken token) {
        this.token = token;
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (!token.enabled() || !MUTATING.contains(request.getMethod())
                || !request.getUriInfo().getPath().startsWith("/api")) {
            return null;
        }
        if (token.accepts(presented(request))) {
            return null;
        }
        Response problem = ProblemMappers.respond(new Problem(Problem.TYPE_BASE + "unauthorized", "Unauthorized", 401,
                "this request changes state and needs the API token: send 'Authorization: Bearer <token>' or '"
                        + TOKEN_HEADER + ": <token>' (the token is splicelab.api.token, or the file api-token in the "
                        + "gateway's data directory)", null));
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** The token the request carries, or null. */
    static String presented(ContainerRequestContext request) {
        String header = request.getHeaderString(TOKEN_HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }
}
