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
import io.splicelab.gateway.exports.CsvNegotiation;
import io.splicelab.gateway.exports.RunTables;
import io.splicelab.gateway.exports.TidyCsv;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
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
    @Produces({MediaType.APPLICATION_JSON, TidyCsv.MEDIA_TYPE})
    @Operation(summary = "The runs, newest first, one page at a time", description = "The body is the page's runs; "
            + "X-Total-Count says how many match in all and Link names the next and previous pages. "
            + "trainBatchAccuracy is the latest training minibatch's accuracy (formerly accuracy); testAccuracy the "
            + "final checkpoint's on the whole test split (testSamples images), once the run completed. CSV with "
            + "Accept: text/csv or ?format=csv: one row per run of the page, the JSON fields as columns in the same "
            + "order (times ISO 8601, empty when null), then the configuration as config.<field> columns.")
    public Response list(@Parameter(description = "only runs with this status, e.g. RUNNING") @QueryParam("status")
            String status,
            @Parameter(description = "only runs of this experiment group") @QueryParam("group") String group,
            @Parameter(description = "the page, from 0") @QueryParam("page") @DefaultValue("0")
            @Min(value = 0, message = "must be 0 or more") int page,
            @Parameter(description = "runs per page, 1 to 500") @QueryParam("size") @DefaultValue("100")
            @Min(value = 1, message = SIZES) @Max(value = RunQueries.MAX_PAGE_SIZE, message = SIZES) int size,
            @Parameter(description = CsvNegotiation.FORMAT) @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = CsvNegotiation.wantsCsv(format, headers);
        RunPage result = queries.page(status, group, page, size);
        Response.ResponseBuilder response = (csv ? Response.fromResponse(CsvNegotiation.csv(
                RunTables.runs(result.runs()), "runs.csv")) : Response.ok(result.runs(), MediaType.APPLICATION_JSON_TYPE))
                .header("X-Total-Count", result.total());
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
    @Produces({MediaType.APPLICATION_JSON, TidyCsv.MEDIA_TYPE})
    @Path("/{id}/checkpoints")
    @Operation(summary = "The run's checkpoints, by step", description = "Per checkpoint: trainBatchAccuracy, the "
            + "training minibatch accuracy the trainer reported (formerly trainAccuracy); testAccuracy, the checkpoint's "
            + "own accuracy on the evaluation set test with its BatchNorm statistics carried (the grid's diagonal; null "
            + "until the splicer evaluated it); and accuracies, one per evaluation set and BatchNorm mode (with the cut "
            + "for recalibrate), each with its samples and deepDonorAtChance. CSV with Accept: text/csv or "
            + "?format=csv: one row per checkpoint, columns runId then the JSON fields.")
    @APIResponse(responseCode = "200", description = "The checkpoints", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckpointView.class,
                type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)),
        @Content(mediaType = TidyCsv.MEDIA_TYPE)})
    public Response checkpoints(@PathParam("id") String id,
            @Parameter(description = CsvNegotiation.FORMAT) @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = CsvNegotiation.wantsCsv(format, headers);
        List<CheckpointView> checkpoints = queries.checkpoints(id);
        return csv ? CsvNegotiation.csv(RunTables.checkpoints(id, checkpoints), id + "-checkpoints.csv")
                : Response.ok(checkpoints, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TidyCsv.MEDIA_TYPE})
    @Path("/{id}/progress")
    @Operation(summary = "The run's training progress points, by step (the training curves)", description =
            "trainBatchAccuracy is the accuracy on that step's training minibatch (formerly accuracy). CSV with Accept: "
            + "text/csv or ?format=csv: one row per progress point, columns runId then the JSON fields.")
    @APIResponse(responseCode = "200", description = "The progress points", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProgressView.class,
                type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)),
        @Content(mediaType = TidyCsv.MEDIA_TYPE)})
    public Response progress(@PathParam("id") String id,
            @Parameter(description = CsvNegotiation.FORMAT) @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = CsvNegotiation.wantsCsv(format, headers);
        List<ProgressView> points = queries.progress(id);
        return csv ? CsvNegotiation.csv(RunTables.progress(id, points), id + "-progress.csv")
                : Response.ok(points, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TidyCsv.MEDIA_TYPE})
    @Path("/{id}/summaries")
    @Operation(summary = "Temporal-consistency summaries of the run's hybrid grid, per cut, evaluation set and "
            + "BatchNorm mode", description = "Over the forward pairs (shallow part older than the deep part); pairs "
            + "whose deep donor's accuracy is within two standard errors of chance are left out (chancePairs counts "
            + "them). tcScore, curve (lag in checkpoints) and dropLag are over every checkpoint; tcExcludingInitial "
            + "leaves out the pairs whose shallow part is the initial checkpoint (initialStep, the random "
            + "initialisation). all and excludingInitial hold each variant in full: tc, pairs, curveByCheckpoints "
            + "(keys: lag in checkpoints), curveBySteps (keys: lag in training steps), dropLag and dropLagSteps, the "
            + "first lag whose mean falls below threshold. docs/science.md section 2. CSV with Accept: text/csv or "
            + "?format=csv, tidy: one row per (cut, evalSet, bnMode, lag), columns runId, cut, evalSet, bnMode, lag, "
            + "meanRelativeAccuracy (the curve at that lag, in checkpoints), tcScore, tcExcludingInitial, chancePairs, dropLag, threshold, steps "
            + "(space-separated), updatedAt.")
    @APIResponse(responseCode = "200", description = "The summaries", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SummariesView.class)),
        @Content(mediaType = TidyCsv.MEDIA_TYPE)})
    public Response summaries(@PathParam("id") String id,
            @Parameter(description = CsvNegotiation.FORMAT) @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = CsvNegotiation.wantsCsv(format, headers);
        SummariesView view = queries.summaries(id);
        return csv ? CsvNegotiation.csv(RunTables.summaries(view), id + "-summaries.csv")
                : Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run with its checkpoints", description = "trainBatchAccuracy is the latest training "
            + "minibatch's accuracy (formerly accuracy); testAccuracy the final checkpoint's on the whole test split "
            + "(testSamples images) once the run completed; each checkpoint carries its accuracy per evaluation set "
            + "(as GET /api/runs/{id}/checkpoints).")
    @APIResponse(responseCode = "200", description = "The run", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunDetail.class)))
    @APIResponse(responseCode = "404", description = "Unknown run", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunDetail get(@PathParam("id") String id) {
        return queries.detail(id);
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TidyCsv.MEDIA_TYPE})
    @Path("/{id}/stats")
    @Operation(summary = "Results of statistical analyses of the run, optionally of one analysis", description = "CSV "
            + "with Accept: text/csv or ?format=csv, tidy: one row per scalar of a result's values, columns runId, the "
            + "result's fields (analysis, cut, probeSet, steps space-separated, shape, updatedAt, ...), parameters "
            + "(compact JSON), variable (the keys down to the value, dot-separated, e.g. series.train), index (its "
            + "array positions, comma-separated, e.g. 2,5; empty for a scalar) and value.")
    @APIResponse(responseCode = "200", description = "The results", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatsView.class)),
        @Content(mediaType = TidyCsv.MEDIA_TYPE)})
    public Response stats(@PathParam("id") String id, @QueryParam("analysis") String analysis,
            @Parameter(description = CsvNegotiation.FORMAT) @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = CsvNegotiation.wantsCsv(format, headers);
        StatsView view = queries.stats(id, analysis);
        return csv ? CsvNegotiation.csv(RunTables.stats(view), id + "-stats.csv")
                : Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
