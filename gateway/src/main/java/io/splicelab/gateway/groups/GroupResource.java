package io.splicelab.gateway.groups;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.gateway.groups.GroupViews.GroupAccepted;
import io.splicelab.gateway.groups.GroupViews.GroupDetail;
import io.splicelab.gateway.groups.GroupViews.GroupRequest;
import io.splicelab.gateway.groups.GroupViews.GroupSummary;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Experiment groups: launch a set of runs differing in one factor, and compare them. */
@Path("/api/groups")
@Tag(name = "groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {
    private final ExperimentGroups groups;

    public GroupResource(ExperimentGroups groups) {
        this.groups = groups;
    }

    @RequiresApiToken
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Launch a group of runs", description = "One run per value of the factor, e.g. "
            + "{\"factor\":\"seed\",\"values\":[1,2,3],\"config\":{\"steps\":200}}. Every configuration is validated "
            + "before any run starts. Needs the API token.")
    public Response launch(GroupRequest request) {
        GroupAccepted accepted = groups.launch(request);
        return Response.accepted(accepted).header("Location", "/api/groups/" + accepted.groupId()).build();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, io.splicelab.gateway.exports.TidyCsv.MEDIA_TYPE})
    @Operation(summary = "Every experiment group, newest first", description = "CSV with Accept: text/csv or "
            + "?format=csv: one row per group, the JSON fields as columns (groupId, name, factor, runs, createdAt).")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "200", description = "The "
            + "groups", content = {
                @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON,
                        schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(
                                implementation = GroupSummary.class,
                                type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)),
                @org.eclipse.microprofile.openapi.annotations.media.Content(
                        mediaType = io.splicelab.gateway.exports.TidyCsv.MEDIA_TYPE)})
    public Response list(@org.eclipse.microprofile.openapi.annotations.parameters.Parameter(
            description = io.splicelab.gateway.exports.CsvNegotiation.FORMAT) @jakarta.ws.rs.QueryParam("format")
            String format, @jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers) {
        boolean csv = io.splicelab.gateway.exports.CsvNegotiation.wantsCsv(format, headers);
        List<GroupSummary> all = groups.list();
        return csv ? io.splicelab.gateway.exports.CsvNegotiation.csv(io.splicelab.gateway.exports.RecordTable.of(
                GroupSummary.class, all, java.util.Map.of()), "groups.csv")
                : Response.ok(all, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A group with its runs side by side")
    public GroupDetail get(@PathParam("id") String id) {
        return groups.detail(id);
    }
}
