package io.splicelab.model.store;

import io.splicelab.model.events.ArtifactRef;
import java.util.List;

/**
 * Where large artifacts (checkpoints, feature tensors, noise matrices) live; events carry only a
 * reference. Artifacts are immutable: written once, read back verified. A directory today, an object
 * store later behind the same interface.
 */
public interface ArtifactStore {

    /**
     * Writes an artifact under a key (a relative path such as {@code runs/r1/checkpoints/step-10.params}).
     * Writing the same content again returns the same reference; different content under an existing key
     * is refused, so a published reference never changes meaning.
     */
    ArtifactRef put(String key, byte[] content, String mediaType);

    /**
     * Writes a derived artifact under a key, replacing whatever is there: for files that are recomputed rather than
     * referenced (a hybrid cell's per-image predictions, which a cell evaluated again rewrites, identically on a
     * deterministic engine), never for what an event announces with a sha256. A reader sees the old file or the new
     * one, never half of one. This default deletes, then writes; a store that can do better overrides it.
     */
    default ArtifactRef replace(String key, byte[] content, String mediaType) {
        deleteAll(key);
        return put(key, content, mediaType);
    }

    /** Reads an artifact and checks its size and sha256 against the reference. */
    byte[] get(ArtifactRef ref);

    /**
     * Reads an artifact by key, without a reference to verify against: for small self-describing files
     * found by listing (manifests), never for what an event announced with a sha256.
     */
    byte[] read(String key);

    /** Whether an artifact exists under the key. */
    boolean exists(String key);

    /** The keys under a prefix, sorted. */
    List<String> list(String prefix);

    /** Deletes every artifact under a prefix (a run's artifacts when the run is deleted). */
    void deleteAll(String prefix);
}
