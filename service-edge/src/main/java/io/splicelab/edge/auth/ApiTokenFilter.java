package io.splicelab.edge.auth;

import io.splicelab.edge.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a request to an endpoint marked {@link RequiresApiToken} with a {@code 401} problem (and
 * {@code WWW-Authenticate: Bearer}) unless it carries the API token, when one is required ({@link ApiToken}).
 * The token is read from {@code Authorization: Bearer <token>} or {@code X-Api-Token: <token>}, as at the gateway.
 */
@Provider
@RequiresApiToken
@Priority(Priorities.AUTHENTICATION)
public class ApiTokenFilter implements ContainerRequestFilter {
    /** The alternative header for clients that cannot set {@code Authorization}. */
    public static final String TOKEN_HEADER = "X-Api-Token";

    private final ApiToken token;

    public ApiTokenFilter(ApiToken token) {
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!token.accepts(presented(request.getHeaderString(TOKEN_HEADER),
                request.getHeaderString(HttpHeaders.AUTHORIZATION)))) {
            request.abortWith(unauthorized());
        }
    }

    /** The 401 problem answered without the token. */
    public static Response unauthorized() {
        Response problem = Problem.of(401, "unauthorized", "Unauthorized", "this endpoint needs the API token: send "
                + "'Authorization: Bearer <token>' or '" + TOKEN_HEADER + ": <token>' (splicelab.api.token, "
                + "SPLICELAB_API_TOKEN)").response();
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** The token a request carries in {@code X-Api-Token} or {@code Authorization: Bearer}, or null. */
    public static String presented(String tokenHeader, String authorization) {
        if (tokenHeader != null && !tokenHeader.isBlank()) {
            return tokenHeader.strip();
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }
}
