package io.splicelab.splicer;

import io.splicelab.splicer.splicing.RunGrid;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The grids of the runs in progress, in memory, at most {@code max-active-runs} of them: the least recently
 * used is evicted (and closed, freeing its engine memory) when another run's grid is made. Evicting loses
 * nothing: the store is the truth, and the run's next event rebuilds its grid from it.
 */
final class ActiveGrids {
    private static final Logger LOG = Logger.getLogger(ActiveGrids.class);

    private final int maxRuns;
    private final Map<String, RunGrid> grids = new LinkedHashMap<>(16, 0.75f, true);

    ActiveGrids(int maxRuns) {
        this.maxRuns = maxRuns;
    }

    /** The run's grid in memory, or null. */
    RunGrid get(String runId) {
        return grids.get(runId);
    }

    /** The run's grid, made when it is not in memory (evicting the least recently used beyond the limit). */
    RunGrid getOrCreate(String runId, Supplier<RunGrid> create) {
        RunGrid grid = grids.get(runId);
        if (grid == null) {
            grid = create.get();
            grids.put(runId, grid);
            evictBeyondLimit(runId);
        }
        return grid;
    }

    /** Drops a run's grid from memory (a failure left it half-added: the next event rebuilds it). */
    void drop(String runId, RunGrid grid) {
        grids.remove(runId);
        grid.close();
    }

    /** Drops a run's grid from memory, if it is there (the run was deleted). */
    void forget(String runId) {
        RunGrid grid = grids.remove(runId);
        if (grid != null) {
            grid.close();
        }
    }

    private void evictBeyondLimit(String keep) {
        while (grids.size() > maxRuns) {
            String eldest = grids.keySet().iterator().next();
            if (eldest.equals(keep)) {
                break;
            }
            LOG.infof("run %s: evicting its grid from memory", eldest);
            grids.remove(eldest).close();
        }
    }

    void closeAll() {
        grids.values().forEach(RunGrid::close);
        grids.clear();
    }
}
