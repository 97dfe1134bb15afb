package io.splicelab.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The children's log files: a header line per start, the tail shown in errors, the link to Kafka's log. */
public final class LogFiles {
    static final int TAIL_LINES = 40;

    private LogFiles() {
    }

    /**
     * Starts a log section for a (re)start: the time and the command line. The first start truncates the log;
     * a restart appends, so the lines of the crash stay next to those of the restart.
     */
    public static void header(Path log, List<String> command, boolean append) {
        String line = "# " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " "
                + String.join(" ", command) + System.lineSeparator();
        try {
            if (append) {
                Files.writeString(log, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } else {
                Files.writeString(log, line, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of a log file, for error messages. */
    public static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** A relative symbolic link, for convenience only: nothing depends on it. */
    public static void link(Path target, Path link) {
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, link.getParent().relativize(target));
        } catch (IOException | UnsupportedOperationException e) {
            // only a convenience: the target stays where it is
        }
    }
}
