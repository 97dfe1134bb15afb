package io.splicelab.gateway.hybrids;

import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.hybrids.PredictionsOutput.CellKey;
import io.splicelab.gateway.runs.RunQueries;
import io.splicelab.model.features.HybridPredictions;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.model.values.BnMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Finds the per-image predictions of one hybrid cell: the file the splicer wrote into the shared artifact store at
 * the key the cell's natural key gives ({@link RunArtifacts#hybridPredictions}; no event names it, so nothing of it
 * travels on Kafka). The run must be known to the read model (a deleted run is gone, its files with it).
 */
@ApplicationScoped
public class CellPredictions {
    private static final Logger LOG = Logger.getLogger(CellPredictions.class);

    private final RunQueries runs;
    private final ArtifactStore store;

    public CellPredictions(RunQueries runs, ArtifactStore store) {
        this.runs = runs;
        this.store = store;
    }

    /** What a request names, as it came (validated by {@link #find}). */
    public record Query(String cut, String evalSet, String bnMode, String shallow, String deep) {
    }

    /** A cell and its predictions. */
    public record Found(CellKey cell, HybridPredictions predictions) {
    }

    /**
     * @throws ProblemException 400 naming a missing or malformed parameter; 404 for an unknown run or a cell without
     *     stored predictions
     */
    public Found find(String runId, Query query) {
        String cut = required("cut", query.cut());
        String evalSet = required("evalSet", query.evalSet());
        String bnMode = required("bnMode", query.bnMode());
        try {
            BnMode.parse(bnMode);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidParameter("bnMode", e.getMessage());
        }
        int shallow = step("shallow", query.shallow());
        int deep = step("deep", query.deep());
        if (!runs.exists(runId)) {
            throw ProblemException.notFound("no run " + runId);
        }
        CellKey cell = new CellKey(runId, cut, evalSet, bnMode, shallow, deep);
        String key = null;
        byte[] bytes;
        try {
            key = RunArtifacts.hybridPredictions(runId, cut, evalSet, bnMode, shallow, deep);
            if (!store.exists(key)) {
                throw notFound(cell);
            }
            bytes = store.read(key);
        } catch (ArtifactIntegrityException | IllegalArgumentException e) {
            // gone since (the run deleted meanwhile), a key the store refuses, a run id no key can be made of
            LOG.debugf("predictions of %s unavailable (%s): %s", cell, key, e);
            throw notFound(cell);
        }
        try {
            return new Found(cell, HybridPredictions.decode(bytes));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored predictions " + key + " are unreadable: " + e.getMessage(), e);
        }
    }

    private static ProblemException notFound(CellKey c) {
        return ProblemException.notFound("no per-image predictions for the hybrid of run " + c.runId() + " at cut "
                + c.cut() + ", evaluation set " + c.evalSet() + ", BatchNorm mode " + c.bnMode() + ", shallow step "
                + c.shallowStep() + ", deep step " + c.deepStep() + ": the cell is not computed yet, does not exist, "
                + "or was computed before predictions were stored");
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalidParameter(name, "required");
        }
        return value;
    }

    private static int step(String name, String value) {
        required(name, value);
        try {
            int step = Integer.parseInt(value.strip());
            if (step >= 0) {
                return step;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ProblemException.invalidParameter(name, "must be a checkpoint step, an integer of 0 or more");
    }
}
