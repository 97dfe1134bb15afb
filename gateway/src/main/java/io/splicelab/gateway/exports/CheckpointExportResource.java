package io.splicelab.gateway.exports;

import io.splicelab.edge.problem.Problem;
import io.splicelab.onnx.ExportedCheckpoint;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Downloads a trained checkpoint as ONNX segments: the zip {@code POST /api/imports} takes, so that a run's checkpoints
 * can be spliced elsewhere, or imported back as a new run. A thin HTTP adapter over {@link CheckpointExports}; reading,
 * so no API token.
 */
@Path("/api/runs/{id}/checkpoints/{step}/onnx")
@Tag(name = "runs")
public class CheckpointExportResource {
    static final String ZIP = "application/zip";

    private final CheckpointExports exports;

    public CheckpointExportResource(CheckpointExports exports) {
        this.exports = exports;
    }

    @GET
    @Produces({ZIP, Problem.MEDIA_TYPE})
    @Operation(summary = "A trained checkpoint as ONNX segments (the import format)", description = "A zip of "
            + "manifest.json ({\"run\", \"step\", \"numClasses\", \"input\": {\"shape\": [C, H, W], \"mean\", "
            + "\"std\"}, \"segments\": [{\"name\", \"file\"}], \"cuts\"}) and one ONNX file per segment (opset 13, float32, "
            + "a symbolic batch dimension; BatchNorm as BatchNormalization nodes with the running statistics). A "
            + "segment runs from one cut to the next and is named after the cut it ends at; the last one, head, ends "
            + "with the logits. The input is normalised with the run's dataset mean and std, as in training. Posted to "
            + "POST /api/imports with the run's dataset, evalSize and seed, it makes a run with the same grid.")
    @APIResponse(responseCode = "200", description = "The zip", content = @Content(mediaType = ZIP,
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                    format = "binary")))
    @APIResponse(responseCode = "400", description = "A cut that is not the network's, or two at one position", content
            = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No trained checkpoint of the run at this step", content
            = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The checkpoint is an import, its parameters are over "
            + "splicelab.exports.max-parameters-mb, or its stored artifacts are not the checkpoint they claim to be",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response export(@PathParam("id") String id,
            @Parameter(description = "the checkpoint's training step") @PathParam("step") int step,
            @Parameter(description = "comma-separated cuts to export at, e.g. stem,stage1,stage2 (default: the "
                    + "architecture's default cuts: a ResNet's stage boundaries, every cut of cnn and mlp)")
            @QueryParam("cuts") String cuts) {
        ExportedCheckpoint export = exports.export(id, step, cuts);
        return Response.ok(export.zip(), ZIP)
                .header("Content-Disposition", "attachment; filename=\"" + id + "-step-" + step + "-onnx.zip\"")
                .build();
    }
}
