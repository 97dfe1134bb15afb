package io.splicelab.gateway.hybrids;

import io.splicelab.gateway.runs.RunQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hybrid grid of a run, for the heat maps of the dashboard and for scripts. */
@Path("/api/runs/{id}/hybrids")
@Tag(name = "hybrids")
public class HybridResource {
    private final RunQueries runs;

    public HybridResource(RunQueries runs) {
        this.runs = runs;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The run's hybrid cells, filtered", description = "Cells sorted by cut (in order of first "
            + "appearance), shallow step, deep step. An unknown cut or metric is a 400 once the run has cells.")
    public HybridGrid.View grid(@PathParam("id") String id,
            @Parameter(description = "only this cut") @QueryParam("cut") String cut,
            @Parameter(description = "keep only this metric in every cell") @QueryParam("metric") String metric,
            @Parameter(description = "only this evaluation set") @QueryParam("evalSet") String evalSet,
            @Parameter(description = "only this BatchNorm mode") @QueryParam("bnMode") String bnMode) {
        return runs.hybrids(id, new HybridGrid.Query(cut, metric, evalSet, bnMode));
    }
}
