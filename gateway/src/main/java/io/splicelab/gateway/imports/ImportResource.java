package io.splicelab.gateway.imports;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.gateway.imports.ImportService.ImportAccepted;
import io.splicelab.gateway.imports.ImportService.ImportRequest;
import io.splicelab.edge.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Imports checkpoints trained elsewhere: a zip of {@code manifest.json} and one ONNX file per segment, as the
 * request body ({@code application/zip}) or as the part {@code file} of a {@code multipart/form-data} form. A thin
 * HTTP adapter over {@link ImportService}; needs the API token like every mutating endpoint.
 */
@Path("/api/imports")
@Tag(name = "imports")
// the responses both ways of importing share (MicroProfile OpenAPI adds them to every operation of the class)
@APIResponse(responseCode = "202", description = "Stored and announced on splicelab.checkpoints; the run is at "
        + "the Location; warnings lists the manifest's fields that were ignored", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                schema = @Schema(implementation = ImportAccepted.class)))
@APIResponse(responseCode = "400", description = "Invalid request, archive or manifest, or a segment file that is "
        + "not what the manifest declares (the problem names the field and the file)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "413", description = "The archive is over the size limits", content = @Content(
        mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {
    static final String ZIP = "application/zip";
    private static final String DESCRIPTION = "The archive holds manifest.json ({\"run\", \"step\", \"numClasses\", "
            + "\"input\": {\"shape\": [C, H, W], \"mean\", \"std\"}, \"segments\": [{\"name\", \"file\", optional "
            + "\"sha256\", \"input\", \"output\"}], \"cuts\", optional \"format\", \"architecture\", \"source\"}) and "
            + "one ONNX file per segment (segment i consumes segment i-1's output; a cut named X lies after segment X). "
            + "Fields the format does not know are ignored and listed in the answer's warnings; a segment's sha256 is "
            + "checked against its file, its input/output shapes (the batch dimension null, -1 or a name: dynamic) "
            + "against its ONNX graph and its neighbours', before anything is stored. "
            + "The checkpoint joins the run's hybrid grid (BatchNorm mode carry) once the splicer has evaluated it; "
            + "imports with other steps into the same run grow it. Needs the API token.";

    private final ImportService imports;

    public ImportResource(ImportService imports) {
        this.imports = imports;
    }

    @RequiresApiToken
    @POST
    @Consumes({ZIP, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Import a checkpoint trained elsewhere (ONNX segments), the zip as the body",
            description = DESCRIPTION)
    @APIResponse(responseCode = "409", description = "The run is a trained run, was deleted, already has this step "
            + "or is evaluated on another dataset", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    public Response importZip(
            @Parameter(description = "the run name (default: the manifest's \"run\")") @QueryParam("run") String run,
            @Parameter(description = "the evaluation dataset, e.g. cifar10", required = true) @QueryParam("dataset")
            String dataset,
            @Parameter(description = "size of the seeded class-stratified test subset (default 500)")
            @QueryParam("evalSize") Integer evalSize,
            @Parameter(description = "seed of the evaluation subset (default 1)") @QueryParam("seed") Long seed,
            InputStream body) {
        return accepted(imports.importZip(body, new ImportRequest(run, dataset, evalSize, seed)));
    }

    @RequiresApiToken
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import a checkpoint trained elsewhere (ONNX segments), the zip as the form part 'file'",
            description = DESCRIPTION)
    public Response importForm(
            @Parameter(description = "the zip archive") @RestForm("file") FileUpload file,
            @Parameter(description = "the run name (default: the manifest's \"run\")") @RestForm("run") String run,
            @Parameter(description = "the evaluation dataset, e.g. cifar10", required = true) @RestForm("dataset")
            String dataset,
            @Parameter(description = "size of the seeded class-stratified test subset (default 500)")
            @RestForm("evalSize") Integer evalSize,
            @Parameter(description = "seed of the evaluation subset (default 1)") @RestForm("seed") Long seed) {
        ImportRequest request = new ImportRequest(run, dataset, evalSize, seed);
        if (file == null) {
            return accepted(imports.importZip((InputStream) null, request));
        }
        // Quarkus has written the part to a file already (and deletes it when the request ends): read it there
        return accepted(imports.importZip(file.uploadedFile(), request));
    }

    private static Response accepted(ImportAccepted accepted) {
        return Response.accepted(accepted).header("Location", "/api/runs/" + accepted.runId()).build();
    }
}
