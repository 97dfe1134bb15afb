package io.splicelab.stats;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Read-only HTTP view of the stored results, for the gateway and for humans. */
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
    private final StatsResultRepository repository;

    public StatsResource(StatsResultRepository repository) {
        this.repository = repository;
    }

    /** Every stored result of a run (an empty list for an unknown run). */
    @GET
    @Path("/{runId}")
    public List<StatsResultView> byRun(@PathParam("runId") String runId) {
        return repository.listByRun(runId).stream().map(StatsResultView::of).toList();
    }
}
