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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An experiment's bundle: its definition, its comparison per variant and every run of it in one zip, to archive an
 * experiment next to a paper or re-analyse it offline. A thin HTTP adapter over {@link Bundles}; reading, so no API
 * token.
 */
@Path("/api/experiments/{id}/bundle")
@Tag(name = "experiments")
public class ExperimentBundleResource {
    private final Bundles bundles;

    public ExperimentBundleResource(Bundles bundles) {
        this.bundles = bundles;
    }

    @GET
    @Produces({BundleResource.ZIP, Problem.MEDIA_TYPE})
    @Operation(summary = "An experiment and all its runs as one zip", description = "experiment.json "
            + "(GET /api/experiments/{id}: base configuration, variants' patches, seeds, figures per variant), "
            + "variants.csv (one row per variant, figure, cut and evaluation set: experimentId,variant,figure,cut,"
            + "evalSet,n,mean,sd,se), curves.json (GET /api/experiments/{id}/curves), curves.csv, runs.csv (one row "
            + "per run: experimentId, variant, seed, then the columns of GET /api/runs?format=csv), then per run under "
            + "runs/<runId>/: " + BundleResource.RUN_ENTRIES + "; last manifest.json. The row budget counts every run "
            + "of the experiment. " + BundleResource.BUDGET)
    @APIResponse(responseCode = "200", description = "The zip", content = @Content(mediaType = BundleResource.ZIP,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "Unknown experiment", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The experiment's runs are over the bundle's row budget",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response bundle(@Parameter(description = "the experiment's id or name") @PathParam("id") String id) {
        BundleWriter.Bundle bundle = bundles.ofExperiment(id);
        return BundleResource.zip(bundles, bundle, bundle.id() + "-bundle.zip");
    }
}
