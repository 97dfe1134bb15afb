package io.splicelab.stats.adhoc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.edge.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
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
 * Ad-hoc analyses over HTTP: {@code POST /api/analyses/{name}} with the samples and parameters as JSON,
 * the result as JSON; bad input is a 400 {@code application/problem+json} that names the field. An analysis
 * costs compute, so it needs the API token when one is configured ({@link RequiresApiToken}). The
 * body is read as text and parsed here so that malformed JSON also gets a problem, not a bare 400.
 */
@Path("/api/analyses")
@Tag(name = "analyses", description = "Every analysis of the stats service, on data you send")
public class AnalysesResource {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final String NAMES = "kde, kde-bandwidth-cv, total-variation, mmd, ks, pca, class-overlap, spectrum, "
            + "sphericity, isotropic-null, subspace-alignment, tail-index, noise-anisotropy, probe-distance";

    private final AdHocAnalyses analyses;

    public AnalysesResource(AdHocAnalyses analyses) {
        this.analyses = analyses;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The analyses, with their inputs and parameters")
    public List<AdHocAnalyses.Descriptor> list() {
        return analyses.list();
    }

    @POST
    @Path("/{name}")
    @RequiresApiToken
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Run one analysis on the samples in the body",
            description = "Body: {\"samples\" | \"x\" | \"y\" | \"updates\": matrices (arrays of equally long arrays "
                    + "of finite numbers, rows = samples; a flat array is one column), \"labels\": [integers], "
                    + "\"parameters\": {name: value}}. Which fields and parameters an analysis takes: GET "
                    + "/api/analyses. Limits: at most 2,000,000 numbers per request; 5,000 pooled rows for mmd, "
                    + "probe-distance and class-overlap; 20,000 rows for kde; eigenproblems (min(n, p) of spectrum, "
                    + "p of pca, rows of sphericity and noise-anisotropy) at most 1,000; draws/permutations at most "
                    + "10,000; grids at most 512 points per axis; ks samples at most 10,000 each. The answer echoes "
                    + "the parameters used. Analyses: " + NAMES + ".")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT), examples = {
                @ExampleObject(name = "mmd", summary = "MMD^2 between two 2-D samples",
                        value = "{\"x\": [[0,0],[1,0],[0,1],[1,1]], \"y\": [[3,3],[4,3],[3,4],[4,4]], "
                                + "\"parameters\": {\"permutations\": 200, \"seed\": 0}}"),
                @ExampleObject(name = "sphericity", summary = "Isotropy tests on 5 samples in 3-D",
                        value = "{\"samples\": [[1,2,0],[0,1,1],[2,0,1],[1,1,3],[0,2,2]]}"),
                @ExampleObject(name = "ks", summary = "Two-sample KS",
                        value = "{\"x\": [0.1, 0.5, 0.9, 1.3], \"y\": [2.0, 2.2, 2.9, 3.1, 3.3]}")}))
    @APIResponse(responseCode = "200", description = "the result, as JSON",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", description = "unusable input: malformed JSON, ragged or non-numeric arrays, "
            + "non-finite values, too few samples, sizes over a limit, unknown fields or parameters",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no analysis of that name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "an API token is configured (splicelab.api.token) and the "
            + "request does not carry it ('Authorization: Bearer <token>' or 'X-Api-Token: <token>')",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response run(@Parameter(description = "the analysis", schema = @Schema(enumeration = {"kde",
            "kde-bandwidth-cv", "total-variation", "mmd", "ks", "pca", "class-overlap", "spectrum", "sphericity",
            "isotropic-null", "subspace-alignment", "tail-index", "noise-anisotropy",
            "probe-distance"})) @PathParam("name") String name, String body) {
        if (!analyses.has(name)) {
            return Problem.of(404, "not-found", "Not found",
                    "no analysis named '" + name + "'; known: " + String.join(", ", analyses.names()))
                    .response();
        }
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return invalid("the body is not valid JSON: " + e.getOriginalMessage(), null);
        }
        try {
            return Response.ok(analyses.run(name, new io.splicelab.stats.adhoc.RequestBody(root)),
                    MediaType.APPLICATION_JSON).build();
        } catch (BadAnalysisRequestException e) {
            return invalid(e.getMessage(), e.field());
        }
    }

    /** 400: the body cannot be analysed; the offending field, when known, is in {@code errors}. */
    private static Response invalid(String detail, String field) {
        return Problem.ofField(400, "invalid-analysis-input", "Invalid analysis input", detail, field).response();
    }
}
