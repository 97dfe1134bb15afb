package io.splicelab.gateway.exports;

import io.splicelab.edge.problem.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An experiment group's bundle: the group and every run of it in one zip, to compare the runs offline. */
@Path("/api/groups/{id}/bundle")
@Tag(name = "groups")
public class GroupBundleResource {
    private final Bundles bundles;

    public GroupBundleResource(Bundles bundles) {
        this.bundles = bundles;
    }

    @GET
    @Produces({BundleResource.ZIP, Problem.MEDIA_TYPE})
    @Operation(summary = "A group and all its runs as one zip", description = "group.json (GET /api/groups/{id}), "
            + "runs.csv (one row per run: groupId, factor, value, then the columns of GET /api/runs?format=csv), then "
            + "per run under runs/<runId>/: " + BundleResource.RUN_ENTRIES + "; last manifest.json. The row budget "
            + "counts every run of the group. " + BundleResource.BUDGET)
    @APIResponse(responseCode = "200", description = "The zip", content = @Content(mediaType = BundleResource.ZIP,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "Unknown group", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The group's runs are over the bundle's row budget", content =
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response bundle(@PathParam("id") String id) {
        return BundleResource.zip(bundles, bundles.ofGroup(id), id + "-bundle.zip");
    }
}
