package io.splicelab.gateway.claims;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.edge.problem.Problem;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentAccepted;
import io.splicelab.gateway.experiments.Experiments;
import io.splicelab.gateway.readmodel.ExperimentEntity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The paper's claims in one request: starts {@link ClaimsExperiment}, whose report is then at
 * {@code GET /api/experiments/{id}/claims}.
 */
@Path("/api/claims")
@Tag(name = "experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ClaimsResource {
    private final Experiments experiments;

    public ClaimsResource(Experiments experiments) {
        this.experiments = experiments;
    }

    /**
     * An optional body of {@code POST /api/claims}.
     *
     * @param name the experiment's name (default: {@code claims <UTC time>})
     * @param seeds the seeds (default: 1, 2, 3)
     */
    public record ClaimsRequest(String name, List<Long> seeds) {
    }

    @RequiresApiToken
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start the experiment that tests the paper's four claims", description = "A small ResNet on "
            + "Fashion-MNIST: baseline, random labels and frozen shallow layers, three seeds each, evaluated on test, "
            + "train (and the noisy labels) and three corruptions; the baseline samples SGD noise. Follow it at the "
            + "Location; its report is at /api/experiments/{id}/claims. Needs the API token.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExperimentAccepted.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(ClaimsRequest request) {
        ExperimentAccepted accepted = experiments.launch(ClaimsExperiment.request(request == null ? null
                : request.name(), request == null ? null : request.seeds()), ExperimentEntity.KIND_CLAIMS);
        return Response.accepted(accepted).header("Location", "/api/experiments/" + accepted.experimentId()).build();
    }
}
