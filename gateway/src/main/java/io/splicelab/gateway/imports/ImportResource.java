package io.splicelab.gateway.imports;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.gateway.imports.ImportService.ImportAccepted;
import io.splicelab.gateway.imports.ImportService.ImportRequest;
import io.splicelab.edge.problem.Problem;
import io.splicelab.model.events.RunConfig;
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
            + "imports with other steps into the same run grow it. The checkpoint is evaluated on a test subset: "
            + "evalSubset stratified (seeded, class-stratified, the default), first (the first evalSize test images) "
            + "or indices (the test images at evalIndices, e.g. evalIndices=3,17,42; evalSize is their number). "
            + "Its evaluation plan is a run's: evalSets, bnModes and cuts, comma-separated (default: "
            + "test,train,gaussian_noise-3,fog-3,contrast-3; carry; every cut of the manifest; a later import into "
            + "the run: the run's plan). Needs the API token.";
    private static final String EVAL_SETS = "the evaluation sets, comma-separated: test, train (the dataset's training "
            + "split, a seeded class-stratified subset, true labels), <corruption>-<severity> (e.g. fog-3); "
            + "train-noisy does not apply (an import's label noise is not known). Default: "
            + "test,train,gaussian_noise-3,fog-3,contrast-3, or the run's earlier imports'";
    private static final String BN_MODES = "the BatchNorm modes, comma-separated: only carry applies (an imported "
            + "network carries its own statistics); default carry";
    private static final String CUTS = "the cuts of the grid, comma-separated, cut names of the manifest; default: "
            + "every cut of the manifest, or the run's earlier imports'";
    private static final String SUBSET = "the test images evaluated on: stratified (default: a seeded "
            + "class-stratified sample of evalSize), first (the first evalSize) or indices (those at evalIndices; the "
            + "default when evalIndices are given)";
    private static final String INDICES = "with evalSubset=indices: " + RunConfig.MIN_EVAL_INDICES + " to "
            + RunConfig.MAX_EVAL_INDICES + " distinct indices into the test split, separated by commas and/or white space, evaluated in that order";
    private static final String INDICES_FORM = INDICES + " (a long list fits here better than in the query: "
            + "curl -F 'evalIndices=<indices.txt')";

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
            @Parameter(description = "size of the test subset (default 500; with evalIndices: their number)")
            @QueryParam("evalSize") Integer evalSize,
            @Parameter(description = "seed of the evaluation subset (default 1)") @QueryParam("seed") Long seed,
            @Parameter(description = SUBSET, schema = @Schema(enumeration = {"stratified", "first", "indices"}))
            @QueryParam("evalSubset") String evalSubset,
            @Parameter(description = INDICES, example = "3,17,42") @QueryParam("evalIndices") String evalIndices,
            @Parameter(description = EVAL_SETS, example = "test,train,fog-3") @QueryParam("evalSets") String evalSets,
            @Parameter(description = BN_MODES, example = "carry") @QueryParam("bnModes") String bnModes,
            @Parameter(description = CUTS, example = "stem,stage1,stage2") @QueryParam("cuts") String cuts,
            InputStream body) {
        return accepted(imports.importZip(body, new ImportRequest(run, dataset, evalSize, seed, evalSubset,
                evalIndices, evalSets, bnModes, cuts)));
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
            @Parameter(description = "size of the test subset (default 500; with evalIndices: their number)")
            @RestForm("evalSize") Integer evalSize,
            @Parameter(description = "seed of the evaluation subset (default 1)") @RestForm("seed") Long seed,
            @Parameter(description = SUBSET, schema = @Schema(enumeration = {"stratified", "first", "indices"}))
            @RestForm("evalSubset") String evalSubset,
            @Parameter(description = INDICES_FORM) @RestForm("evalIndices") String evalIndices,
            @Parameter(description = EVAL_SETS) @RestForm("evalSets") String evalSets,
            @Parameter(description = BN_MODES) @RestForm("bnModes") String bnModes,
            @Parameter(description = CUTS) @RestForm("cuts") String cuts) {
        ImportRequest request = new ImportRequest(run, dataset, evalSize, seed, evalSubset, evalIndices, evalSets,
                bnModes, cuts);
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
