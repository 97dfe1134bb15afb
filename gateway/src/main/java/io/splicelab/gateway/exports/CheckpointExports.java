package io.splicelab.gateway.exports;

import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.onnx.CheckpointExport;
import io.splicelab.onnx.ExportedCheckpoint;
import io.splicelab.onnx.NetworkLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A trained checkpoint as an import of the documented format ({@code onnx-export}'s {@link CheckpointExport}): read
 * from the artifact store (its manifest, then its parameters, size and sha256 verified), exported at the requested
 * cuts with its dataset's normalisation, so that it can be spliced elsewhere or imported back. The export is built in
 * memory, so checkpoints over {@code splicelab.exports.max-parameters-mb} are refused and exports run one at a time.
 */
@ApplicationScoped
public class CheckpointExports {
    private static final Logger LOG = Logger.getLogger(CheckpointExports.class);
    private static final long MB = 1024L * 1024;

    private final LocalArtifactStore store;
    private final long maxParameterBytes;

    public CheckpointExports(@ConfigProperty(name = "splicelab.artifacts.dir",
            defaultValue = "./.splicelab/artifacts") Path artifactsDir,
            @ConfigProperty(name = "splicelab.exports.max-parameters-mb", defaultValue = "32") long maxParametersMb) {
        this.store = new LocalArtifactStore(artifactsDir);
        this.maxParameterBytes = maxParametersMb * MB;
    }

    /**
     * Exports the checkpoint of a run at a step.
     *
     * @param cuts comma-separated cut names, null or blank for the architecture's default cuts
     * @throws ProblemException 404 when the run has no trained checkpoint at the step, 400 naming {@code cuts} when one
     *     is not the network's, 409 when the checkpoint is an import, over the size limit, or its stored artifacts
     *     cannot be read as the checkpoint they claim to be
     */
    public synchronized ExportedCheckpoint export(String runId, int step, String cuts) {
        if (!RunIds.isValid(runId) || step < 0) {
            throw ProblemException.notFound("no run " + RunIds.quote(runId) + " with a checkpoint at step " + step);
        }
        String key = RunArtifacts.checkpointManifest(runId, step);
        if (!store.exists(key)) {
            if (store.exists(RunArtifacts.importRecord(runId, step))) {
                throw ProblemException.conflict("checkpoint " + step + " of run " + runId + " is an import: its ONNX "
                        + "files are the ones that were imported");
            }
            throw ProblemException.notFound("run " + runId + " has no checkpoint at step " + step);
        }
        CheckpointCreated checkpoint = manifest(key, runId, step);
        NetworkLayout layout;
        try {
            layout = NetworkLayout.of(checkpoint.network());
        } catch (IllegalArgumentException e) {
            throw unexportable(runId, step, e.getMessage());
        }
        List<String> chosen;
        try {
            chosen = CheckpointExport.cuts(layout, parse(cuts));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidParameter("cuts", e.getMessage());
        }
        DatasetInfo dataset = checkpoint.config() == null ? null
                : DatasetInfo.of(checkpoint.config().dataset()).orElse(null);
        if (dataset == null) {
            throw unexportable(runId, step, "its configuration names no known dataset, so the input's normalisation "
                    + "is unknown");
        }
        if (checkpoint.parameters() == null) {
            throw unexportable(runId, step, "its manifest names no parameters");
        }
        if (checkpoint.parameters().size() > maxParameterBytes) {
            throw new ProblemException(Problem.of(409, "export-too-large", "Export too large", "the parameters of "
                    + "checkpoint " + step + " of run " + runId + " are " + checkpoint.parameters().size() / MB
                    + " MB, over splicelab.exports.max-parameters-mb=" + maxParameterBytes / MB));
        }
        try {
            byte[] parameters = store.get(checkpoint.parameters());
            return CheckpointExport.export(checkpoint.network(), parameters, chosen, runId, step, dataset.mean(),
                    dataset.std(), source(checkpoint));
        } catch (RuntimeException e) {
            // integrity (size, sha256), an unsafe reference, or parameters that are not this network's
            LOG.warnf("checkpoint %d of run %s cannot be exported: %s", step, runId, e.getMessage());
            throw unexportable(runId, step, e.getMessage());
        }
    }

    private CheckpointCreated manifest(String key, String runId, int step) {
        CheckpointCreated c;
        try {
            c = EventCodec.mapper().readValue(store.read(key), CheckpointCreated.class);
        } catch (IOException | RuntimeException e) {
            throw unexportable(runId, step, "its manifest cannot be read: " + e.getMessage());
        }
        if (c == null || !runId.equals(c.runId()) || c.step() != step || c.network() == null) {
            throw unexportable(runId, step, "its manifest is of another checkpoint, or names no network");
        }
        return c;
    }

    /**
     * The manifest's {@code source}: a splicelab run, and what {@code POST /api/imports} needs to evaluate the export
     * on the run's own evaluation subset (its dataset, evalSize and seed).
     */
    static Map<String, Object> source(CheckpointCreated checkpoint) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("framework", "splicelab (DJL)");
        source.put("run", checkpoint.runId());
        source.put("step", checkpoint.step());
        source.put("widthMultiplier", checkpoint.network().widthMultiplier());
        source.put("dataset", checkpoint.config().dataset());
        source.put("evalSize", checkpoint.config().evalSize());
        source.put("seed", checkpoint.config().seed());
        return source;
    }

    /** {@code stem,stage1} as its names; blank entries and the blank list are nothing. */
    static List<String> parse(String cuts) {
        if (cuts == null || cuts.isBlank()) {
            return List.of();
        }
        return Arrays.stream(cuts.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static ProblemException unexportable(String runId, int step, String why) {
        return new ProblemException(Problem.of(409, "not-exportable", "Checkpoint cannot be exported",
                "checkpoint " + step + " of run " + runId + " cannot be exported: " + why));
    }
}
