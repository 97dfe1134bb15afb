package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.List;

/** A run of an experiment: its variant and seed. A run belongs to at most one experiment. */
@Entity
@Table(name = "gw_experiment_members")
public class ExperimentMemberEntity extends RunKeyedRow {
    @Column(nullable = false, length = 64)
    public String experimentId;

    @Column(nullable = false, length = 64)
    public String variant;

    public long seed;

    /** The position of the run in the experiment (variant-major, then seed). */
    @Column(name = "member_position")
    public int position;

    public static List<ExperimentMemberEntity> ofExperiment(String experimentId) {
        return list("experimentId", Sort.ascending("position"), experimentId);
    }

    /** The run's membership, empty when the run is in no experiment. */
    public static java.util.Optional<ExperimentMemberEntity> ofRun(String runId) {
        return findByIdOptional(runId);
    }

    public static long countOf(String experimentId) {
        return count("experimentId", experimentId);
    }
}
