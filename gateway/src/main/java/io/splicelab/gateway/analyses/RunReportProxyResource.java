package io.splicelab.gateway.analyses;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The paper's claims for a run, computed by the stats service from its stored results
 * ({@code GET {splicelab.stats.url}/api/stats/{runId}/report}) and passed through unchanged.
 */
@Path("/api/runs/{id}/stats/report")
@Tag(name = "analyses")
@Blocking
public class RunReportProxyResource {
    private final StatsServiceClient stats;

    public RunReportProxyResource(StatsServiceClient stats) {
        this.stats = stats;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The run's report: isotropy of the SGD noise rejected or not (statistics, p-values), "
            + "directions carrying 90 % of the noise variance, trajectory alignment, tail index, train/test feature "
            + "distance against the generalization gap, and what is missing for each claim")
    @APIResponse(responseCode = "200", description = "the report (an empty report for an unknown run)")
    @APIResponse(responseCode = "502", description = "the stats service did not answer")
    public Response report(@PathParam("id") String id) {
        return AnalysesProxyResource.relay(stats.report(id));
    }
}
