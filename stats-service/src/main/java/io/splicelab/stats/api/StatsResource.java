package io.splicelab.stats.api;

import io.splicelab.stats.results.CheckpointAccuracyRepository;
import io.splicelab.stats.results.RunReport;
import io.splicelab.stats.results.StatsResultRepository;
import io.splicelab.stats.results.StatsResultView;
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
    private final CheckpointAccuracyRepository accuracies;

    public StatsResource(StatsResultRepository repository, CheckpointAccuracyRepository accuracies) {
        this.repository = repository;
        this.accuracies = accuracies;
    }

    /**
     * The paper's claims for a run: isotropy rejected or not (statistics, p-values), directions carrying
     * 90 % of the noise variance, alignment, tail index, and the train/test feature distance against the
     * generalization gap; what is missing for a claim is listed under {@code missing}.
     */
    @GET
    @Path("/{runId}/report")
    public java.util.Map<String, Object> report(@PathParam("runId") String runId) {
        List<StatsResultView> results = repository.listByRun(runId).stream().map(StatsResultView::of).toList();
        List<RunReport.Accuracy> acc = accuracies.byRun(runId).stream()
                .map(a -> new RunReport.Accuracy(a.step, a.evalSet, a.accuracy)).toList();
        return RunReport.build(runId, results, acc);
    }

    /** Every stored result of a run (an empty list for an unknown run). */
    @GET
    @Path("/{runId}")
    public List<StatsResultView> byRun(@PathParam("runId") String runId) {
        return repository.listByRun(runId).stream().map(StatsResultView::of).toList();
    }
}
