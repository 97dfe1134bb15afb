package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.List;
import java.util.Optional;

/**
 * One training-progress point of a run, keyed by (run, step). The event log keeps only the latest progress
 * (a late stream client needs the current state), so the training curves of the dashboard come from here.
 */
@Entity
@Table(name = "gw_progress", uniqueConstraints = @UniqueConstraint(name = "gw_progress_natural_key",
        columnNames = {"runId", "step"}))
public class ProgressEntity extends StepScopedRow {
    public int totalSteps;
    public double loss;
    public double accuracy;
    public double learningRate;
    public double imagesPerSecond;
    /** The run's recoveries so far (rolled-back non-finite steps); null in rows written before it was kept. */
    public Integer recoveries;

    public static List<ProgressEntity> ofRun(String runId) {
        return list("runId", Sort.ascending("step"), runId);
    }

    public static Optional<ProgressEntity> find(String runId, int step) {
        return find("runId = ?1 and step = ?2", runId, step).firstResultOptional();
    }
}
