package io.splicelab.gateway.analyses;

import io.splicelab.edge.auth.RequiresApiToken;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The stats service's ad-hoc analyses through the gateway, the one address clients know: the body goes
 * to {@code POST {splicelab.stats.url}/api/analyses/{name}} as it came, and the answer (status, media
 * type, body; a 400 problem included) comes back unchanged. The gateway adds nothing but a 502 problem
 * when the stats service cannot be reached.
 */
@Path("/api/analyses")
@Tag(name = "analyses", description = "Statistical analyses on data you send (run by the stats service)")
@Blocking
public class AnalysesProxyResource {
    private final StatsServiceClient stats;

    public AnalysesProxyResource(StatsServiceClient stats) {
        this.stats = stats;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The analyses: names, inputs and parameters",
            description = "Names: kde, kde-bandwidth-cv, total-variation, mmd, ks, pca, class-overlap, spectrum, "
                    + "sphericity, isotropic-null, subspace-alignment, tail-index, noise-anisotropy, probe-distance.")
    @APIResponse(responseCode = "200", description = "[{name, description, inputs, parameters}]")
    @APIResponse(responseCode = "502", description = "the stats service did not answer",
            content = @Content(mediaType = "application/problem+json"))
    public Response list() {
        return relay(stats.analyses());
    }

    @RequiresApiToken
    @POST
    @Path("/{name}")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    @Operation(summary = "Run one analysis on the samples in the body",
            description = "Body: {\"samples\" | \"x\" | \"y\" | \"updates\": matrices (arrays of equally long arrays "
                    + "of finite numbers, rows = samples; a flat array is one column), \"labels\": [integers], "
                    + "\"parameters\": {name: value}}. Each analysis's fields and parameters: GET /api/analyses. "
                    + "Limits (400 beyond them): 2,000,000 numbers per request; 5,000 pooled rows for mmd, "
                    + "probe-distance and class-overlap; 20,000 rows for kde; eigenproblems of at most 1,000; "
                    + "10,000 draws or permutations; 512 grid points per axis; 10,000 values per ks sample. "
                    + "Being a POST under /api, it needs the API token when one is configured.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT), examples = {
                @ExampleObject(name = "mmd", value = "{\"x\": [[0,0],[1,0],[0,1],[1,1]], \"y\": [[3,3],[4,3],[3,4],"
                        + "[4,4]], \"parameters\": {\"permutations\": 200, \"seed\": 0}}"),
                @ExampleObject(name = "sphericity", value = "{\"samples\": [[1,2,0],[0,1,1],[2,0,1],[1,1,3],[0,2,2]]}")}))
    @APIResponse(responseCode = "200", description = "the result as JSON, echoing the parameters used")
    @APIResponse(responseCode = "400", description = "unusable input (malformed JSON, ragged or non-numeric arrays, "
            + "non-finite values, too few samples, over a limit), saying what is wrong",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "no analysis of that name",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "502", description = "the stats service did not answer",
            content = @Content(mediaType = "application/problem+json"))
    public Response run(@Parameter(description = "the analysis", schema = @Schema(enumeration = {"kde",
            "kde-bandwidth-cv", "total-variation", "mmd", "ks", "pca", "class-overlap", "spectrum", "sphericity",
            "isotropic-null", "subspace-alignment", "tail-index", "noise-anisotropy", "probe-distance"}))
            @PathParam("name") String name, byte[] body) {
        return relay(stats.analyse(name, body));
    }

    /** The stats service's answer, unchanged. */
    static Response relay(StatsServiceClient.Answer a) {
        return Response.status(a.status()).type(a.contentType()).entity(a.body()).build();
    }
}
