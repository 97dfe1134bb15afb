package io.splicelab.gateway.hybrids;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The hybrid grid as CSV, one row per cell and one column per metric, for spreadsheets and pandas. Written by
 * Jackson's CSV module (RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; nothing
 * else is quoted). Pure, so the shape and the quoting are unit-tested.
 */
public final class HybridCsv {
    /** The CSV media type. */
    public static final String MEDIA_TYPE = "text/csv";
    private static final List<String> FIXED = List.of("runId", "cut", "evalSet", "bnMode", "precision",
            "shallowStep", "deepStep", "samples", "evalSubset");
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private HybridCsv() {
    }

    public static String write(HybridGrid.View view) {
        TreeSet<String> metrics = new TreeSet<>();
        view.cells().forEach(c -> metrics.addAll(c.metrics().keySet()));
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\n");
        FIXED.forEach(schema::addColumn);
        metrics.forEach(schema::addColumn);
        List<List<String>> rows = new ArrayList<>(view.cells().size());
        for (HybridGrid.Cell c : view.cells()) {
            List<String> row = new ArrayList<>(List.of(view.runId(), c.cut(), c.evalSet(), c.bnMode(),
                    c.precision() == null ? "" : c.precision(), Integer.toString(c.shallowStep()),
                    Integer.toString(c.deepStep()), Integer.toString(c.samples()),
                    c.evalSubset() == null ? "" : c.evalSubset()));
            Map<String, Double> values = c.metrics();
            for (String m : metrics) {
                Double v = values.get(m);
                row.add(v == null ? "" : Double.toString(v));
            }
            rows.add(row);
        }
        return write(schema.build(), rows);
    }

    /** One field as it appears in a row: quoted when it has a comma, quote or line break, quotes doubled. */
    static String quote(String field) {
        String line = write(CsvSchema.builder().setLineSeparator("").addColumn("f").build(), List.of(List.of(field)));
        return line;
    }

    private static String write(CsvSchema schema, List<List<String>> rows) {
        try {
            return CSV.writer(schema).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // writing strings to a string cannot fail
        }
    }
}
