package io.splicelab.splicer;

import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.model.values.BnMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.List;

/**
 * The splicer's checks on a checkpoint event before it is accepted: cheap ones only, no evaluation. Its fields,
 * and that the manifest (import record) and the artifacts it names are regular files in the store (their sha256
 * is checked when they are read for the evaluation); an import also fits its manifest ({@link ImportFit}). A
 * failure is a reason to dead-letter the record.
 */
@ApplicationScoped
public class CheckpointAcceptance {
    private final ArtifactStore store;
    private final List<String> cuts;

    @Inject
    public CheckpointAcceptance(ArtifactStore store, SplicerSettings settings) {
        this(store, settings.cuts());
    }

    /** With the cuts an import's manifest must have (tests). */
    public CheckpointAcceptance(ArtifactStore store, List<String> cuts) {
        this.store = store;
        this.cuts = List.copyOf(cuts);
    }

    /**
     * Checks a created checkpoint before it is accepted: its fields, its configuration's evaluation plan (by the run
     * configuration's rules, the cuts against its network), and that its manifest and parameters are files in the
     * artifact store.
     *
     * @throws RuntimeException (dead letter) with the reason
     */
    public void validate(CheckpointCreated checkpoint) {
        requireFields(checkpoint.runId() != null && checkpoint.parameters() != null && checkpoint.network() != null
                && checkpoint.config() != null, "runId, parameters, network and config", checkpoint.runId(),
                checkpoint.step());
        RunConfig config = checkpoint.config();
        String network = checkpoint.network().architecture();
        List<String> knownCuts = network != null && Architectures.isKnown(network) ? Architectures.cuts(network) : null;
        double noise = config.labelNoise() == null ? 0 : config.labelNoise();
        for (RunConfig.FieldError e : config.evalPlan().problems(noise, config.dataset(), knownCuts, network,
                EnumSet.allOf(BnMode.class))) {
            throw new InvalidEventException("config." + e.field() + " " + e.message());
        }
        String manifest = RunArtifacts.checkpointManifest(checkpoint.runId(), checkpoint.step());
        if (!store.exists(manifest)) {
            throw new ArtifactIntegrityException("the checkpoint's manifest " + manifest + " is not in the store");
        }
        requireFile(checkpoint.parameters());
    }

    /**
     * Checks an imported checkpoint before it is accepted: its fields, its manifest, that its dataset fits the
     * manifest, and that its import record and segment files are in the artifact store.
     *
     * @throws RuntimeException (dead letter) with the reason
     */
    public void validate(CheckpointImported imported) {
        requireFields(imported.runId() != null && imported.manifest() != null && imported.segments() != null
                && imported.dataset() != null, "runId, dataset, manifest and segments", imported.runId(),
                imported.step());
        imported.manifest().validated();
        ImportFit.requireFit(imported, ImportFit.config(imported), cuts);
        String record = RunArtifacts.importRecord(imported.runId(), imported.step());
        if (!store.exists(record)) {
            throw new ArtifactIntegrityException("the import record " + record + " is not in the store");
        }
        for (ArtifactRef segment : imported.segments()) {
            requireFile(segment);
        }
    }

    /** The fields every checkpoint event needs: the required ones present, a valid run id, a step. */
    private static void requireFields(boolean present, String required, String runId, int step) {
        if (!present) {
            throw new InvalidEventException(required + " are required");
        }
        RunIds.requireValid(runId);
        if (step < 0) {
            throw new InvalidEventException("step must not be negative, was " + step);
        }
    }

    private void requireFile(ArtifactRef ref) {
        String uri = ref == null ? null : ref.uri();
        if (uri == null || !uri.startsWith(LocalArtifactStore.SCHEME)) {
            throw new ArtifactIntegrityException("not an artifact reference: " + uri);
        }
        if (!store.exists(uri.substring(LocalArtifactStore.SCHEME.length()))) {
            throw new ArtifactIntegrityException("artifact " + uri + " is not a file in the store");
        }
    }
}
