package io.splicelab.gateway.experiments;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.edge.problem.Problem;
import io.splicelab.gateway.claims.ClaimsReport;
import io.splicelab.gateway.claims.ClaimsText;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentAccepted;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentCancelled;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentCurvesView;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentDetail;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentRequest;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentSummary;
import io.splicelab.gateway.exports.CsvNegotiation;
import io.splicelab.gateway.exports.ExperimentTables;
import io.splicelab.gateway.exports.TidyCsv;
import io.splicelab.gateway.readmodel.ExperimentEntity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Experiments: variants (merge patches of a base configuration) x seeds, launched together and compared per variant
 * with their spread over seeds, and judged against the paper's claims. A thin HTTP adapter over {@link Experiments};
 * mutating calls need the API token.
 */
@Path("/api/experiments")
@Tag(name = "experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {
    private final Experiments experiments;

    public ExperimentResource(Experiments experiments) {
        this.experiments = experiments;
    }

    @RequiresApiToken
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Launch an experiment", description = "Every variant x seed is a run; a variant is a JSON "
            + "merge patch (RFC 7386) of the base configuration, e.g. {\"name\":\"claims\",\"base\":{\"steps\":240},"
            + "\"variants\":{\"baseline\":{},\"random-labels\":{\"labelNoise\":1},\"frozen\":{\"freezeCut\":\"stage1\","
            + "\"freezeStep\":30}},\"seeds\":[1,2,3]}. Every run is validated before any starts; errors name the "
            + "variant and field (variants.frozen.freezeStep). At most " + ExperimentPlan.MAX_RUNS + " runs. Names are "
            + "unique. Needs the API token.")
    @APIResponse(responseCode = "202", description = "Accepted: every run's command is in Kafka", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExperimentAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid experiment, naming every bad field", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response launch(ExperimentRequest request) {
        return accepted(experiments.launch(request, ExperimentEntity.KIND_EXPERIMENT));
    }

    /** The 202 of a launched experiment, with its Location. */
    static Response accepted(ExperimentAccepted accepted) {
        return Response.accepted(accepted).header("Location", "/api/experiments/" + accepted.experimentId()).build();
    }

    @GET
    @Operation(summary = "Every experiment, newest first")
    public List<ExperimentSummary> list() {
        return experiments.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An experiment compared per variant", description = "By id or by name. Per variant, over its "
            + "seeds (n, mean, standard deviation, standard error): final test and corrupted accuracy, accuracy per "
            + "evaluation set, temporal consistency per cut and evaluation set (without and with the initial "
            + "checkpoint) and the SGD-noise anisotropy (Ledoit-Wolf z and p, top-k variance share against its "
            + "isotropic null, Monte Carlo p).")
    @APIResponse(responseCode = "200", description = "The experiment", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExperimentDetail.class)))
    @APIResponse(responseCode = "404", description = "Unknown experiment", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ExperimentDetail get(@Parameter(description = "the experiment's id or name") @PathParam("id") String id) {
        return experiments.detail(id);
    }

    @GET
    @Path("/{id}/curves")
    @Produces({MediaType.APPLICATION_JSON, TidyCsv.MEDIA_TYPE})
    @Operation(summary = "An experiment's curves over training steps, per variant over its seeds", description = "By "
            + "id or by name. Per variant and metric, one point per step: the seeds with a value there (n), their "
            + "mean, standard deviation and standard error (sd and se null with one seed). Metrics: testAccuracy and "
            + "corruptedAccuracy (mean over the corrupted sets) at each checkpoint, from its diagonal hybrid cell "
            + "(BatchNorm carry when there); loss and trainBatchAccuracy at each progress point. Seeds are matched by "
            + "step. CSV with Accept: text/csv or ?format=csv: one row per point, experimentId,variant,metric,step,n,"
            + "mean,sd,se.")
    @APIResponse(responseCode = "200", description = "The curves", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExperimentCurvesView.class)),
            @Content(mediaType = TidyCsv.MEDIA_TYPE)})
    @APIResponse(responseCode = "404", description = "Unknown experiment", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response curves(@Parameter(description = "the experiment's id or name") @PathParam("id") String id,
            @Parameter(description = CsvNegotiation.FORMAT) @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = CsvNegotiation.wantsCsv(format, headers);
        ExperimentCurvesView view = experiments.curves(id);
        return csv ? CsvNegotiation.csv(ExperimentTables.curves(view), view.experimentId() + "-curves.csv")
                : Response.ok(view, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/{id}/claims")
    @Operation(summary = "The paper's four claims judged on the experiment", description = "Per claim a verdict "
            + "(supported, not supported, inconclusive), the numbers behind it with their uncertainty (seeds, "
            + "standard errors, Welch t-tests) and what would make it conclusive. Only settled runs count; "
            + "'complete' says whether every run is. Accept: text/plain gives the same as text.")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClaimsReport.class)))
    public ClaimsReport claims(@PathParam("id") String id) {
        return experiments.claims(id);
    }

    @GET
    @Path("/{id}/claims")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public String claimsText(@PathParam("id") String id) {
        return ClaimsText.render(experiments.claims(id));
    }

    @RequiresApiToken
    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Ask the trainer to stop every unfinished run of the experiment", description = "As "
            + "POST /api/runs/{id}/cancel for each; the runs become CANCELLED when the trainer confirms. Needs the "
            + "API token.")
    @APIResponse(responseCode = "202", description = "The cancel requests are in Kafka")
    @APIResponse(responseCode = "409", description = "Every run has finished", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@PathParam("id") String id, @QueryParam("reason") String reason) {
        ExperimentCancelled cancelled = experiments.cancel(id, reason);
        return Response.accepted(cancelled).build();
    }

    @RequiresApiToken
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an experiment with its runs and their artifacts", description = "As "
            + "DELETE /api/runs/{id} for each run (a run still training is asked to stop), then the experiment. "
            + "Needs the API token.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        experiments.delete(id);
        return Response.noContent().build();
    }
}
