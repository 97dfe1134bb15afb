package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of {@code splicelab runs}: one line per run, columns RUN, NAME, STATUS, STEPS, CELLS, TEST ACC, CREATED
 * (UTC), each as wide as its widest value; a dash where the gateway has nothing. Pure, so the text is unit-tested.
 */
final class RunsTable {
    static final List<String> HEADER = List.of("RUN", "NAME", "STATUS", "STEPS", "CELLS", "TEST ACC", "CREATED (UTC)");
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private RunsTable() {
    }

    /**
     * @param runs each run as {@code GET /api/runs/{id}} answers it (or as the list does: then the cells are
     *     unknown)
     */
    static String render(List<JsonNode> runs) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode r : runs) {
            rows.add(List.of(text(r.path("runId")), name(r), text(r.path("status")), steps(r), cells(r),
                    testAccuracy(r), created(r.path("createdAt"))));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row.get(i)));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** The run's name (a {@code name} of the run or of its configuration), else a dash. */
    static String name(JsonNode r) {
        String name = text(r.path("name"));
        return name.equals("-") ? text(r.path("config").path("name")) : name;
    }

    static String steps(JsonNode r) {
        JsonNode step = r.path("step");
        JsonNode total = r.path("totalSteps");
        if (!total.isNumber()) {
            total = r.path("config").path("steps");
        }
        if (!step.isNumber() && !total.isNumber()) {
            return "-";
        }
        return (step.isNumber() ? step.asText() : "0") + "/" + (total.isNumber() ? total.asText() : "?");
    }

    /** Cells computed, of the grid's expected cells when the splicer said. */
    static String cells(JsonNode r) {
        JsonNode cells = r.path("cells");
        if (!cells.isNumber()) {
            return "-";
        }
        JsonNode expected = r.path("grid").path("cellsExpected");
        return cells.asText() + (expected.isNumber() && expected.asInt() > 0 ? "/" + expected.asText() : "");
    }

    /** The test accuracy the gateway reports for the run ({@code testAccuracy}), else a dash. */
    static String testAccuracy(JsonNode r) {
        JsonNode acc = r.path("testAccuracy");
        return acc.isNumber() ? String.format(Locale.ROOT, "%.3f", acc.asDouble()) : "-";
    }

    static String created(JsonNode at) {
        if (!at.isTextual()) {
            return "-";
        }
        try {
            return CREATED.format(Instant.parse(at.asText()));
        } catch (DateTimeParseException e) {
            return at.asText();
        }
    }

    private static String text(JsonNode n) {
        return n.isValueNode() && !n.isNull() && !n.asText().isBlank() ? n.asText() : "-";
    }
}
