package io.splicelab.model.data;

/**
 * A dataset's files are missing or malformed. The message names the expected files and every place
 * they were looked for, so the user can fix the setup; thrown before a run starts.
 */
public class DatasetUnavailableException extends RuntimeException {
    public DatasetUnavailableException(String message) {
        super(message);
    }

    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
