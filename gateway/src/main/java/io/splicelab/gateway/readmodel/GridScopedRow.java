package io.splicelab.gateway.readmodel;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

/**
 * A row of one of a run's hybrid grids: the splicer grows a grid per cut, evaluation set and BatchNorm mode,
 * and both its cells and its temporal-consistency summaries are keyed by those three within the run. Declared
 * once so that the two tables agree on the columns a reader joins them by.
 */
@MappedSuperclass
public abstract class GridScopedRow extends RunScopedRow {
    @Column(nullable = false, length = 128)
    public String cut;

    @Column(nullable = false, length = 128)
    public String evalSet;

    @Column(nullable = false, length = 64)
    public String bnMode;

    /** Sets the natural key of a new row: the run and the grid (cut, evaluation set, BN mode). */
    void grid(String runId, String cut, String evalSet, String bnMode) {
        this.runId = runId;
        this.cut = cut;
        this.evalSet = evalSet;
        this.bnMode = bnMode;
    }
}
