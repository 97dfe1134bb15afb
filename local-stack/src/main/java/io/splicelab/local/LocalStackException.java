package io.splicelab.local;

/** The stack could not start or was misconfigured; the message says what to do, for a human. */
public class LocalStackException extends RuntimeException {
    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
