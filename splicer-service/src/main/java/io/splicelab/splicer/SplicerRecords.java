package io.splicelab.splicer;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.features.HybridPredictions;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.splicer.splicing.HybridCell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * What the artifact store has of a run, as the splicer reads and writes it: the checkpoint manifests and import
 * records (the run's checkpoints), the computed cells under {@code splicer/cells} (never recomputed) and their
 * per-image predictions under {@code predictions/}, the records of checkpoints that could not be evaluated under
 * {@code splicer/incomplete}, and whether the run makes no more checkpoints. The store is the truth; this class is the one place that knows its splicer layout.
 */
final class SplicerRecords {
    private static final Logger LOG = Logger.getLogger(SplicerRecords.class);
    private static final Pattern STEP_FILE = Pattern.compile(".*/step-(\\d{8})[^/]*\\.json");

    private final ArtifactStore store;

    SplicerRecords(ArtifactStore store) {
        this.store = store;
    }

    ArtifactStore store() {
        return store;
    }

    /** The steps of the run's created checkpoints (their manifests) and the manifests' keys. */
    Map<Integer, String> checkpoints(String runId) {
        return storedSteps(RunArtifacts.checkpointsPrefix(runId), false);
    }

    /** The steps of the run's imported checkpoints (their import records) and the records' keys. */
    Map<Integer, String> imports(String runId) {
        return storedSteps(RunArtifacts.importsPrefix(runId), true);
    }

    /**
     * The steps the store has under a prefix (checkpoint manifests, or import records) and their keys. A
     * record whose name is not a step is left out.
     */
    private Map<Integer, String> storedSteps(String prefix, boolean imports) {
        Map<Integer, String> out = new TreeMap<>();
        for (String key : store.list(prefix)) {
            if (imports ? !RunArtifacts.isImportRecord(key) : !key.matches(".*/checkpoints/step-\\d{8}\\.json")) {
                continue;
            }
            Matcher m = STEP_FILE.matcher(key);
            if (m.matches()) {
                out.put(Integer.parseInt(m.group(1)), key);
            }
        }
        return out;
    }

    /** Whether the run makes no more checkpoints: the trainer's completed marker, or an import run. */
    boolean finished(String runId) {
        return store.exists(RunArtifacts.completedMarker(runId)) || !imports(runId).isEmpty();
    }

    <T> T readJson(String key, Class<T> type) {
        try {
            return EventCodec.mapper().readValue(store.read(key), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    /** The manifest of a created checkpoint of any run (a cross-run request names it). */
    CheckpointCreated manifest(String runId, int step) {
        RunIds.requireValid(runId);
        String key = RunArtifacts.checkpointManifest(runId, step);
        if (!store.exists(key)) {
            throw new IllegalArgumentException("no checkpoint of run " + runId + " at step " + step);
        }
        try {
            return EventCodec.mapper().readValue(store.read(key), CheckpointCreated.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint manifest " + key, e);
        }
    }

    // ---- cells ----

    static HybridEvaluated event(String runId, HybridCell cell) {
        return new HybridEvaluated(runId, cell.cut(), cell.evalSet(), cell.bnMode(), cell.precision(),
                cell.shallowStep(), cell.deepStep(), cell.samples(), cell.metrics(), cell.evalSubset(),
                cell.deepDonorAtChance());
    }

    /** Where the cells computed when a checkpoint arrived are kept, so that they are never recomputed. */
    static String cellsPrefix(String runId) {
        return RunArtifacts.runPrefix(runId) + "/splicer/cells";
    }

    /** Stores a batch of cells as they are computed (one file per batch, named by its content). */
    void storeCells(String runId, int step, List<HybridCell> cells) {
        List<HybridEvaluated> events = cells.stream().map(c -> event(runId, c)).toList();
        try {
            byte[] json = EventCodec.mapper().writeValueAsBytes(events);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
            store.put(String.format("%s/step-%08d-%s.json", cellsPrefix(runId), step, hash), json, "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores the per-image predictions of freshly computed cells, one {@code .npz} per cell at the key its natural
     * key gives ({@link RunArtifacts#hybridPredictions}), replacing a file a crashed earlier evaluation left (the
     * same bytes on a deterministic engine). Called before the cells are stored: a stored cell has its predictions.
     */
    void storePredictions(String runId, List<HybridCell> cells) {
        for (HybridCell cell : cells) {
            if (cell.predictions() != null) {
                store.replace(predictionsKey(runId, cell), cell.predictions().encode(), HybridPredictions.MEDIA_TYPE);
            }
        }
    }

    static String predictionsKey(String runId, HybridCell cell) {
        return RunArtifacts.hybridPredictions(runId, cell.cut(), cell.evalSet(), cell.bnMode(), cell.shallowStep(),
                cell.deepStep());
    }

    /** The cells stored for a run (a file that cannot be read is skipped with a warning: its cells are redone). */
    List<HybridCell> storedCells(String runId) {
        List<HybridCell> out = new ArrayList<>();
        for (String key : store.list(cellsPrefix(runId))) {
            try {
                HybridEvaluated[] events = EventCodec.mapper().readValue(store.read(key), HybridEvaluated[].class);
                for (HybridEvaluated e : events) {
                    out.add(new HybridCell(e.cut(), e.evalSet(), e.bnMode(), e.precision(), e.shallowStep(),
                            e.deepStep(), e.samples(), e.metrics(), null, e.evalSubset(), e.deepDonorAtChance()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("run %s: ignoring unreadable stored cells %s: %s", runId, key, e.getMessage());
            }
        }
        return out;
    }

    // ---- incomplete records ----

    static String incompleteKey(String runId, int step) {
        return String.format("%s/splicer/incomplete/step-%08d.json", RunArtifacts.runPrefix(runId), step);
    }

    /** Records that a checkpoint could not be evaluated, with the reason (replacing an earlier record). */
    void markIncomplete(String runId, int step, String reason) {
        String key = incompleteKey(runId, step);
        store.deleteAll(key);
        store.put(key, EventCodec.toJson(Map.of("step", step, "reason", String.valueOf(reason)))
                .getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Forgets a checkpoint's incomplete record (it was evaluated since). */
    void clearIncomplete(String runId, int step) {
        store.deleteAll(incompleteKey(runId, step));
    }

    /** Why checkpoints of the run could not be evaluated (empty: all could). */
    List<String> incompleteReasons(String runId) {
        List<String> out = new ArrayList<>();
        for (String key : store.list(RunArtifacts.runPrefix(runId) + "/splicer/incomplete")) {
            try {
                out.add(EventCodec.mapper().readTree(store.read(key)).path("reason").asText());
            } catch (IOException | RuntimeException e) {
                out.add(key + " is unreadable");
            }
        }
        return out;
    }
}
