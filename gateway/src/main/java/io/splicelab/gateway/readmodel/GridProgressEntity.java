package io.splicelab.gateway.readmodel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Where a run's hybrid grid stands, from the splicer's latest {@code hybrid.progress}: cells of the checkpoint being
 * evaluated, cells of the whole grid and the grid's status (computing, waiting, complete, incomplete with a reason).
 * One row per run: the latest event wins.
 */
@Entity
@Table(name = "gw_grid_progress")
public class GridProgressEntity extends RunKeyedRow {
    public int step;
    public int stepCellsComputed;
    public int stepCellsExpected;
    public int gridCellsComputed;
    public int gridCellsExpected;
    public int checkpoints;

    @Column(nullable = false, length = 32)
    public String status;

    @Column(length = 4000)
    public String reason;

    @Column(nullable = false)
    public Instant updatedAt;
}
