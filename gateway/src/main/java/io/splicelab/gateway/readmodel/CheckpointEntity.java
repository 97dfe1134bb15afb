package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.List;
import java.util.Optional;

/** A checkpoint of a run, keyed by (run, step): a redelivered checkpoint event updates, never duplicates. */
@Entity
@Table(name = "gw_checkpoints", uniqueConstraints = @UniqueConstraint(name = "gw_checkpoints_natural_key",
        columnNames = {"runId", "step"}))
public class CheckpointEntity extends StepScopedRow {
    @Column(name = "checkpoint_index")
    public int index;

    public double trainLoss;
    public double trainAccuracy;

    @Column(length = 2000)
    public String artifactUri;

    @Column(length = 128)
    public String artifactSha256;

    public static List<CheckpointEntity> ofRun(String runId) {
        return list("runId", Sort.ascending("step"), runId);
    }

    public static Optional<CheckpointEntity> find(String runId, int step) {
        return find("runId = ?1 and step = ?2", runId, step).firstResultOptional();
    }
}
