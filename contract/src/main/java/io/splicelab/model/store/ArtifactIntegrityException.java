package io.splicelab.model.store;

/** An artifact is missing, was changed after it was written, or would be overwritten with other content. */
public class ArtifactIntegrityException extends RuntimeException {
    public ArtifactIntegrityException(String message) {
        super(message);
    }

    public ArtifactIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
