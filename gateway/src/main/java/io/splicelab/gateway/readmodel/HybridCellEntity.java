package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.List;
import java.util.Optional;
import org.hibernate.Length;

/**
 * One cell of a run's hybrid grid. Upserted by its natural key (run, cut, evalSet, bnMode, shallowStep,
 * deepStep), backed by a unique constraint, so a redelivered result never adds a second cell. The id gives
 * the order in which cells first appeared.
 */
@Entity
@Table(name = "gw_hybrid_cells", uniqueConstraints = @UniqueConstraint(name = "gw_hybrid_cells_natural_key",
        columnNames = {"runId", "cut", "evalSet", "bnMode", "shallowStep", "deepStep"}))
public class HybridCellEntity extends GridScopedRow {
    /** The longest evaluation subset description kept (a real one has under 60 characters). */
    public static final int MAX_EVAL_SUBSET = 256;

    public int shallowStep;
    public int deepStep;

    @Column(length = 32)
    public String precision;

    public int samples;

    /** Which images of the split the cell was evaluated on (e.g. {@code first size=500}); null for older cells. */
    @Column(length = HybridCellEntity.MAX_EVAL_SUBSET)
    public String evalSubset;

    /** Whether the deep donor is at chance (no relative accuracy then); null for cells from before the rule. */
    public Boolean deepDonorAtChance;

    /** The metrics as a JSON object of numbers. */
    @Column(length = Length.LONG32)
    public String metricsJson;

    public static List<HybridCellEntity> ofRun(String runId) {
        return list("runId", Sort.ascending("id"), runId);
    }

    /** The run's diagonal cells (shallow and deep part from one checkpoint), by step. */
    public static List<HybridCellEntity> diagonalOfRun(String runId) {
        return list("runId = ?1 and shallowStep = deepStep", Sort.ascending("shallowStep").and("evalSet")
                .and("bnMode").and("cut"), runId);
    }

    public static long countOfRun(String runId) {
        return count("runId", runId);
    }

    public static Optional<HybridCellEntity> find(String runId, String cut, String evalSet, String bnMode,
            int shallowStep, int deepStep) {
        return find("runId = ?1 and cut = ?2 and evalSet = ?3 and bnMode = ?4 and shallowStep = ?5 and deepStep = ?6",
                runId, cut, evalSet, bnMode, shallowStep, deepStep).firstResultOptional();
    }
}
