package io.splicelab.model.store;

/**
 * A key or {@code artifact:} reference the store refuses before touching the file system: it is malformed,
 * resolves outside the store's root ({@code ..}, an absolute path, a symbolic link leading out), or names a
 * directory or anything but a regular file. A subtype of {@link ArtifactIntegrityException}, so every caller
 * that already treats a bad artifact as an unprocessable record treats this one the same way.
 */
public class UnsafeArtifactReferenceException extends ArtifactIntegrityException {
    private final String reference;

    public UnsafeArtifactReferenceException(String reference, String why) {
        super("artifact reference " + io.splicelab.model.events.RunIds.quote(reference, 400) + " refused: " + why);
        this.reference = reference;
    }

    /** The key or URI as it was given. */
    public String reference() {
        return reference;
    }
}
