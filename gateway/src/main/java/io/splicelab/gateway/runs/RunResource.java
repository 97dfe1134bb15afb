package io.splicelab.gateway.runs;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.edge.problem.Problem;
import io.splicelab.gateway.runs.RunViews.RunAccepted;
import io.splicelab.gateway.runs.RunViews.RunDetail;
import io.splicelab.gateway.runs.RunViews.CancelAccepted;
import io.splicelab.gateway.runs.RunViews.CheckpointView;
import io.splicelab.gateway.runs.RunViews.ProgressView;
import io.splicelab.gateway.runs.RunViews.RunPage;
import io.splicelab.gateway.runs.RunViews.SummariesView;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.DefaultValue;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import io.splicelab.gateway.runs.RunViews.StatsView;
import io.splicelab.model.events.RunConfig;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Starting, cancelling and deleting runs and reading their state: a thin HTTP adapter over
 * {@link RunSubmission}, {@link RunRemoval} and {@link RunQueries}. Mutating calls need the API token
 * ({@link io.splicelab.edge.auth.ApiTokenFilter}).
 */
@Path("/api/runs")
@Tag(name = "runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private static final String SIZES = "must be between 1 and " + RunQueries.MAX_PAGE_SIZE;

    private final RunSubmission submission;
    private final RunQueries queries;
    private final RunRemoval removal;
    private final RunAnnotations annotations;

    public RunResource(RunSubmission submission, RunQueries queries, RunRemoval removal,
            RunAnnotations annotations) {
        this.submission = submission;
        this.queries = queries;
        this.removal = removal;
        this.annotations = annotations;
    }

    @RequiresApiToken
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request a training run", description = "Every field is optional and defaults apply. "
            + "The run is accepted once its command is in Kafka; follow it at the Location. Needs the API token.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid configuration or JSON", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response request(RunConfig config) {
        RunAccepted accepted = submission.submit(config);
        return Response.accepted(accepted).header("Location", "/api/runs/" + accepted.runId()).build();
    }

    @GET
    @Operation(summary = "The runs, newest first, one page at a time", description = "The body is the page's runs; "
            + "X-Total-Count says how many match in all and Link names the next and previous pages.")
    public Response list(@Parameter(description = "only runs with this status, e.g. RUNNING") @QueryParam("status")
            String status,
            @Parameter(description = "only runs of this experiment group") @QueryParam("group") String group,
            @Parameter(description = "the page, from 0") @QueryParam("page") @DefaultValue("0")
            @Min(value = 0, message = "must be 0 or more") int page,
            @Parameter(description = "runs per page, 1 to 500") @QueryParam("size") @DefaultValue("100")
            @Min(value = 1, message = SIZES) @Max(value = RunQueries.MAX_PAGE_SIZE, message = SIZES) int size) {
        RunPage result = queries.page(status, group, page, size);
        Response.ResponseBuilder response = Response.ok(result.runs()).header("X-Total-Count", result.total());
        List<String> links = new java.util.ArrayList<>();
        if ((long) (page + 1) * size < result.total()) {
            links.add(link(status, group, page + 1, size, "next"));
        }
        if (page > 0) {
            links.add(link(status, group, page - 1, size, "prev"));
        }
        if (!links.isEmpty()) {
            response.header("Link", String.join(", ", links));
        }
        return response.build();
    }

    private static String link(String status, String group, int page, int size, String rel) {
        StringBuilder uri = new StringBuilder("/api/runs?page=").append(page).append("&size=").append(size);
        if (status != null && !status.isBlank()) {
            uri.append("&status=").append(java.net.URLEncoder.encode(status, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (group != null && !group.isBlank()) {
            uri.append("&group=").append(java.net.URLEncoder.encode(group, java.nio.charset.StandardCharsets.UTF_8));
        }
        return "<" + uri + ">; rel=\"" + rel + "\"";
    }

    @RequiresApiToken
    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Ask the trainer to stop a run", description = "Publishes RunCancelRequested on "
            + "splicelab.run-commands, keyed by run id; the run becomes CANCELLED when the trainer confirms. Needs the "
            + "API token.")
    @APIResponse(responseCode = "202", description = "The cancel request is in Kafka")
    @APIResponse(responseCode = "409", description = "The run has already finished", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@PathParam("id") String id, @QueryParam("reason") String reason) {
        removal.cancel(id, reason);
        return Response.accepted(new CancelAccepted(id, "CANCEL_REQUESTED")).build();
    }

    @RequiresApiToken
    @PATCH
    @Path("/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "Name, tag or annotate a run", description = "A JSON merge patch of the run's name, tags "
            + "and notes, e.g. {\"name\":\"lr 0.4\",\"tags\":[\"baseline\"]}: a field left out stays, null clears "
            + "it. They are the gateway's own state (no event carries them): a read-model rebuild keeps them. Needs "
            + "the API token.")
    @APIResponse(responseCode = "200", description = "The run's labels after the patch", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunLabels.class)))
    @APIResponse(responseCode = "400", description = "A field is unknown, of the wrong type or out of bounds "
            + "(the problem names it)", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown run", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunLabels label(@PathParam("id") String id,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(description = "name, tags and/or "
                    + "notes", content = @Content(schema = @Schema(implementation = RunLabels.class)))
            JsonNode patch) {
        return annotations.patch(id, patch);
    }

    @RequiresApiToken
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a run and its artifacts", description = "Removes the run from the read model and "
            + "its checkpoints, features, noise samples and per-image predictions from the artifact store; a run still training is asked to "
            + "stop. Its events stay in Kafka and are ignored from now on. Needs the API token.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        removal.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/checkpoints")
    @Operation(summary = "The run's checkpoints, by step")
    public List<CheckpointView> checkpoints(@PathParam("id") String id) {
        return queries.checkpoints(id);
    }

    @GET
    @Path("/{id}/progress")
    @Operation(summary = "The run's training progress points, by step (the training curves)")
    public List<ProgressView> progress(@PathParam("id") String id) {
        return queries.progress(id);
    }

    @GET
    @Path("/{id}/summaries")
    @Operation(summary = "Temporal-consistency summaries of the run's hybrid grid, per cut, evaluation set and "
            + "BatchNorm mode")
    public SummariesView summaries(@PathParam("id") String id) {
        return queries.summaries(id);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run with its checkpoints")
    @APIResponse(responseCode = "200", description = "The run", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunDetail.class)))
    @APIResponse(responseCode = "404", description = "Unknown run", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunDetail get(@PathParam("id") String id) {
        return queries.detail(id);
    }

    @GET
    @Path("/{id}/stats")
    @Operation(summary = "Results of statistical analyses of the run, optionally of one analysis")
    public StatsView stats(@PathParam("id") String id, @QueryParam("analysis") String analysis) {
        return queries.stats(id, analysis);
    }
}
