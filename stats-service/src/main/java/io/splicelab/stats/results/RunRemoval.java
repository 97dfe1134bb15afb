package io.splicelab.stats.results;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/** Drops every row the service stored of a run (it was deleted), in one transaction. */
@ApplicationScoped
public class RunRemoval {
    private static final Logger LOG = Logger.getLogger(RunRemoval.class);

    private final StatsResultRepository results;
    private final CheckpointAccuracyRepository accuracies;
    private final AnalysisInputRepository inputs;

    public RunRemoval(StatsResultRepository results, CheckpointAccuracyRepository accuracies,
            AnalysisInputRepository inputs) {
        this.results = results;
        this.accuracies = accuracies;
        this.inputs = inputs;
    }

    /** Deletes the run's results, checkpoint accuracies and analysis inputs; returns how many rows went. */
    @Transactional
    public long forget(String runId) {
        long rows = results.delete("runId", runId) + accuracies.delete("runId", runId) + inputs.delete("runId", runId);
        LOG.infof("run %s was deleted: %d stored rows dropped", runId, rows);
        return rows;
    }
}
