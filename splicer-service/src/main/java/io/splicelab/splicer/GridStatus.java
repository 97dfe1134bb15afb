package io.splicelab.splicer;

import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.splicer.splicing.HybridCell;
import io.splicelab.splicer.splicing.RunGrid;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a run's grid stands, as {@code hybrid.progress} reports it after a checkpoint event: {@code incomplete}
 * (with the reasons) when a checkpoint of the run could not be evaluated; {@code complete} when every cell of
 * every checkpoint is there and the run makes no more checkpoints (the trainer's completed marker; an import
 * run: all its imports are in); else {@code waiting} for the next checkpoint. Read from the grid when it is in
 * memory, else from what the store has.
 */
final class GridStatus {
    private final SplicerRecords records;

    GridStatus(SplicerRecords records) {
        this.records = records;
    }

    /** The status of a grid in memory after the checkpoint at {@code step}. */
    GridProgress of(RunGrid grid, String runId, int step) {
        List<String> reasons = records.incompleteReasons(runId);
        int computed = grid.gridCellsComputed();
        int expected = grid.gridCellsExpected();
        String status;
        if (!reasons.isEmpty()) {
            status = GridProgress.INCOMPLETE;
        } else if (computed == expected && records.finished(runId)) {
            status = GridProgress.COMPLETE;
        } else {
            status = GridProgress.WAITING;
        }
        int[] stepCells = grid.stepCells(step);
        return new GridProgress(runId, step, stepCells[0], stepCells[1], computed, expected, grid.steps().size(), status,
                reasons.isEmpty() ? null : String.join("; ", reasons));
    }

    /**
     * A run's status without evaluating anything (its training completed, or a checkpoint failed): from its grid
     * when it is in memory, else from what the store has (its checkpoints, stored cells and incomplete records).
     *
     * @param step the step reported; negative: the run's last stored checkpoint
     * @param inMemory the run's grid, or null when it is not in memory
     */
    GridProgress current(String runId, int step, RunGrid inMemory) {
        Set<Integer> steps = new TreeSet<>(records.checkpoints(runId).keySet());
        steps.addAll(records.imports(runId).keySet());
        if (step < 0) {
            step = steps.isEmpty() ? 0 : ((TreeSet<Integer>) steps).last();
        }
        if (inMemory != null) {
            return of(inMemory, runId, step);
        }
        Set<List<Object>> combos = new HashSet<>();
        Set<HybridCell.CellKey> inGrid = new HashSet<>();
        for (HybridCell cell : records.storedCells(runId)) {
            combos.add(List.of(cell.cut(), cell.evalSet(), cell.bnMode()));
            if (steps.contains(cell.shallowStep()) && steps.contains(cell.deepStep())) {
                inGrid.add(cell.key());
            }
        }
        int expected = combos.size() * steps.size() * steps.size();
        List<String> reasons = records.incompleteReasons(runId);
        String status = !reasons.isEmpty() ? GridProgress.INCOMPLETE
                : expected > 0 && inGrid.size() == expected && records.finished(runId) ? GridProgress.COMPLETE
                        : GridProgress.WAITING;
        return new GridProgress(runId, step, 0, 0, inGrid.size(), expected, steps.size(), status,
                reasons.isEmpty() ? null : String.join("; ", reasons));
    }
}
