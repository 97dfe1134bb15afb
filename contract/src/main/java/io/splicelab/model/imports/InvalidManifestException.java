package io.splicelab.model.imports;

/** An imported checkpoint whose {@code manifest.json} (or files) is not usable; the message names the problem. */
public class InvalidManifestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidManifestException(String message) {
        super(message);
    }
}
