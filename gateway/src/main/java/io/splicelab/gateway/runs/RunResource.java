package io.splicelab.gateway.runs;

import io.splicelab.gateway.problem.Problem;
import io.splicelab.gateway.runs.RunViews.RunAccepted;
import io.splicelab.gateway.runs.RunViews.RunDetail;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import io.splicelab.gateway.runs.RunViews.StatsView;
import io.splicelab.model.events.RunConfig;
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

/** Starting runs and reading their state: a thin HTTP adapter over {@link RunSubmission} and {@link RunQueries}. */
@Path("/api/runs")
@Tag(name = "runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private final RunSubmission submission;
    private final RunQueries queries;

    public RunResource(RunSubmission submission, RunQueries queries) {
        this.submission = submission;
        this.queries = queries;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request a training run", description = "Every field is optional and defaults apply. "
            + "The run is accepted once its command is in Kafka; follow it at the Location.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid configuration or JSON", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response request(RunConfig config) {
        RunAccepted accepted = submission.submit(config);
        return Response.accepted(accepted).header("Location", "/api/runs/" + accepted.runId()).build();
    }

    @GET
    @Operation(summary = "Every run, newest first")
    public List<RunSummary> list() {
        return queries.list();
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
