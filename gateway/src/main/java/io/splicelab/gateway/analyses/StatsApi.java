package io.splicelab.gateway.analyses;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The stats service's HTTP API as the gateway uses it (Quarkus REST client, {@code quarkus.rest-client.stats.url}).
 * Answers are {@link Response}s, never mapped to exceptions ({@code disable-default-mapper}): the gateway passes
 * them through, a 400 problem included. The token header is the stack's API token, or null (not sent).
 */
@RegisterRestClient(configKey = "stats")
@Path("/api")
public interface StatsApi {
    @GET
    @Path("/analyses")
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    Response analyses(@HeaderParam("X-Api-Token") String token);

    @GET
    @Path("/stats/{runId}/report")
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    Response report(@PathParam("runId") String runId, @HeaderParam("X-Api-Token") String token);

    @POST
    @Path("/analyses/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    Response analyse(@PathParam("name") String name, @HeaderParam("X-Api-Token") String token, byte[] body);
}
