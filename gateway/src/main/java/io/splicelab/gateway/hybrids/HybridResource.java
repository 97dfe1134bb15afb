package io.splicelab.gateway.hybrids;

import io.splicelab.edge.problem.Problem;
import io.splicelab.gateway.runs.RunQueries;
import io.splicelab.model.store.RunArtifacts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The hybrid grid of a run, for the heat maps of the dashboard and for scripts (JSON or CSV), and the per-image
 * predictions of one of its cells, to diff engines image by image.
 */
@Path("/api/runs/{id}/hybrids")
@Tag(name = "hybrids")
public class HybridResource {
    private final RunQueries runs;
    private final CellPredictions predictions;

    public HybridResource(RunQueries runs, CellPredictions predictions) {
        this.runs = runs;
        this.predictions = predictions;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, HybridCsv.MEDIA_TYPE})
    @Operation(summary = "The run's hybrid cells, filtered", description = "Cells sorted by cut (in order of first "
            + "appearance), shallow step, deep step. An unknown cut or metric is a 400 once the run has cells. CSV (one "
            + "row per cell, one column per metric) with Accept: text/csv or ?format=csv.")
    public Response grid(@PathParam("id") String id,
            @Parameter(description = "only this cut") @QueryParam("cut") String cut,
            @Parameter(description = "keep only this metric in every cell") @QueryParam("metric") String metric,
            @Parameter(description = "only this evaluation set") @QueryParam("evalSet") String evalSet,
            @Parameter(description = "only this BatchNorm mode") @QueryParam("bnMode") String bnMode,
            @Parameter(description = "json or csv; overrides Accept") @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = wantsCsv(format, headers);
        HybridGrid.View view = runs.hybrids(id, new HybridGrid.Query(cut, metric, evalSet, bnMode));
        if (csv) {
            return Response.ok(HybridCsv.write(view), HybridCsv.MEDIA_TYPE + ";charset=UTF-8")
                    .header("Content-Disposition", "inline; filename=\"" + id + "-hybrids.csv\"").build();
        }
        return Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/predictions")
    @Produces({MediaType.APPLICATION_JSON, HybridCsv.MEDIA_TYPE})
    @Operation(summary = "Every image's prediction by one hybrid cell", description = "For the hybrid of the cell "
            + "(cut, evaluation set, BatchNorm mode, shallow step, deep step): per image of the evaluation set, in "
            + "evaluation order, its splitIndex (its row in the dataset split it was read from: the training or test "
            + "files), its label (the one the cell is scored against), the predicted class (first index of the largest "
            + "logit; the accuracy counts these) and logitMargin, the top-1 logit minus the top-2 logit of the "
            + "hybrid's float32 logits (0 for a tie; null, or an empty CSV field, when not finite). Diff two engines "
            + "image by image on splitIndex. JSON (the cell's key, samples, and the rows under predictions) or CSV "
            + "(header splitIndex,label,predicted,logitMargin) with Accept: text/csv or ?format=csv; streamed. The "
            + "splicer stores them with each cell it computes (docs/architecture.md, artifact store layout).")
    @APIResponse(responseCode = "200", description = "The predictions, one row per image")
    @APIResponse(responseCode = "400", description = "A parameter is missing or malformed (named in the problem)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown run, or no predictions stored for that cell (not "
            + "computed yet, no such cell, or computed before predictions were stored)", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response predictions(@PathParam("id") String id,
            @Parameter(description = "the cut, e.g. stage1", required = true) @QueryParam("cut") String cut,
            @Parameter(description = "the evaluation set, e.g. test", required = true) @QueryParam("evalSet")
            String evalSet,
            @Parameter(description = "the BatchNorm mode: carry or recalibrate", required = true)
            @QueryParam("bnMode") String bnMode,
            @Parameter(description = "the step of the checkpoint of the shallow part", required = true)
            @QueryParam("shallow") String shallow,
            @Parameter(description = "the step of the checkpoint of the deep part", required = true)
            @QueryParam("deep") String deep,
            @Parameter(description = "json or csv; overrides Accept") @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = wantsCsv(format, headers);
        CellPredictions.Found found = predictions.find(id, new CellPredictions.Query(cut, evalSet, bnMode, shallow,
                deep));
        if (csv) {
            StreamingOutput body = out -> PredictionsOutput.csv(found.predictions(), out);
            return Response.ok(body, HybridCsv.MEDIA_TYPE + ";charset=UTF-8").header("Content-Disposition",
                    "inline; filename=\"" + fileName(found.cell()) + "\"").build();
        }
        StreamingOutput body = out -> PredictionsOutput.json(found.cell(), found.predictions(), out);
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The CSV's file name: the cell's key, each name as the store's key has it (plain, or hashed). */
    private static String fileName(PredictionsOutput.CellKey c) {
        return String.join("-", c.runId(), RunArtifacts.keyName(c.cut()), RunArtifacts.keyName(c.evalSet()),
                RunArtifacts.keyName(c.bnMode()), Integer.toString(c.shallowStep()), Integer.toString(c.deepStep()))
                + "-predictions.csv";
    }

    private static boolean wantsCsv(String format, HttpHeaders headers) {
        return io.splicelab.gateway.exports.CsvNegotiation.wantsCsv(format, headers);
    }
}
