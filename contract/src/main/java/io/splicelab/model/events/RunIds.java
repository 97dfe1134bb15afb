package io.splicelab.model.events;

import java.util.regex.Pattern;

/**
 * The one rule for run ids, part of the contract: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -},
 * starting with a letter or a digit, never containing {@code ..}. A run id names a directory of the artifact
 * store ({@code runs/<runId>}) and a Kafka key, so a hostile one ({@code ../x}, {@code /etc}, a newline) must be
 * refused where it enters, before it can build a path or a log line. The gateway's generated ids
 * ({@code run-<hex>}) and import run names follow it.
 */
public final class RunIds {
    /** The pattern a run id must match (besides containing no {@code ..}). */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private RunIds() {
    }

    /** Whether a run id follows the rule. */
    public static boolean isValid(String runId) {
        return runId != null && PATTERN.matcher(runId).matches() && !runId.contains("..");
    }

    /**
     * @return the run id, when it follows the rule
     * @throws InvalidRunIdException saying why not (the id is quoted escaped and shortened)
     */
    public static String requireValid(String runId) {
        if (runId == null || runId.isEmpty()) {
            throw new InvalidRunIdException("a run id is required");
        }
        if (!isValid(runId)) {
            throw new InvalidRunIdException("invalid run id " + quote(runId) + ": a run id is 1 to 64 letters, "
                    + "digits, '.', '_' or '-', starts with a letter or digit and has no '..'");
        }
        return runId;
    }

    /** A value quoted for a message or a log line: control characters escaped, at most 80 characters. */
    public static String quote(String value) {
        return quote(value, 80);
    }

    /** A value quoted for a message or a log line: control characters escaped, at most {@code max} characters. */
    public static String quote(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(value.length(), max);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    /** A run id that does not follow the rule; the message says why. */
    public static final class InvalidRunIdException extends IllegalArgumentException {
        public InvalidRunIdException(String message) {
            super(message);
        }
    }
}
