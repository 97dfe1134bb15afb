package io.splicelab.stats.results;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** The checkpoints' own accuracies, upserted by (run, step, eval set): a redelivered cell updates its row. */
@ApplicationScoped
public class CheckpointAccuracyRepository implements PanacheRepository<CheckpointAccuracy> {

    /** Stores (or updates) the accuracy of a checkpoint on an evaluation set, in its own transaction. */
    @Transactional
    public void upsert(String runId, int step, String evalSet, double accuracy, int samples) {
        CheckpointAccuracy row = find("runId = ?1 and step = ?2 and evalSet = ?3", runId, step, evalSet)
                .firstResultOptional().orElseGet(CheckpointAccuracy::new);
        row.runId = runId;
        row.step = step;
        row.evalSet = evalSet;
        row.accuracy = accuracy;
        row.samples = samples;
        if (row.id == null) {
            persist(row);
        }
    }

    /** The accuracies of a run, by step. */
    @Transactional
    public List<CheckpointAccuracy> byRun(String runId) {
        return list("runId", Sort.ascending("step", "evalSet"), runId);
    }
}
