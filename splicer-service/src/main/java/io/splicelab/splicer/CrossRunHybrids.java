package io.splicelab.splicer;

import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.splicer.splicing.HybridCell;
import io.splicelab.splicer.splicing.RunGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cross-run hybrids, the negative control (docs/science.md section 2): the shallow part of a checkpoint of one
 * run on the deep part of a checkpoint of another run of the same architecture, both orders, every configured
 * cut, mode carry. A throw-away two-checkpoint grid, under the same memory budget as the run grids; nothing is
 * stored or published.
 */
public final class CrossRunHybrids {
    private final GridFactory grids;
    private final SplicerRecords records;

    CrossRunHybrids(GridFactory grids, SplicerRecords records) {
        this.grids = grids;
        this.records = records;
    }

    /** A cross-run request: checkpoint stepA of runA against checkpoint stepB of runB. */
    public record CrossRunRequest(String runA, Integer stepA, String runB, Integer stepB, String evalSet) {
    }

    /** One cross-run cell: the shallow part from (shallowRun, shallowStep), the deep part from the other. */
    public record CrossRunCell(String cut, String evalSet, String bnMode, String shallowRun, int shallowStep,
            String deepRun, int deepStep, int samples, Map<String, Double> metrics) {
    }

    /** Computes the cross-run hybrids of two checkpoints of runs of the same architecture. */
    List<CrossRunCell> compute(CrossRunRequest request) {
        CheckpointCreated a = records.manifest(request.runA(), request.stepA());
        CheckpointCreated b = records.manifest(request.runB(), request.stepB());
        if (!a.network().equals(b.network())) {
            throw new IllegalArgumentException("different architectures: " + a.network() + " vs " + b.network());
        }
        String evalSet = request.evalSet() == null ? "test" : request.evalSet();
        List<CrossRunCell> out = new ArrayList<>();
        try (RunGrid grid = grids.crossRun(a, evalSet)) {
            List<HybridCell> cells = new ArrayList<>(grid.add(0,
                    Checkpoints.load(a.network(), records.store().get(a.parameters()), grid.manager())));
            cells.addAll(grid.add(1, Checkpoints.load(b.network(), records.store().get(b.parameters()),
                    grid.manager())));
            for (HybridCell c : cells) {
                CheckpointCreated shallow = c.shallowStep() == 0 ? a : b;
                CheckpointCreated deep = c.deepStep() == 0 ? a : b;
                out.add(new CrossRunCell(c.cut(), c.evalSet(), c.bnMode(), shallow.runId(), shallow.step(),
                        deep.runId(), deep.step(), c.samples(), c.metrics()));
            }
        }
        return out;
    }
}
