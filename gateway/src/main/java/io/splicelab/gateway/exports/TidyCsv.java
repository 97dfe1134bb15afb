package io.splicelab.gateway.exports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.SequenceWriter;
import io.splicelab.model.events.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A tidy table (one row per observation, one column per variable) written as CSV for spreadsheets, R and pandas:
 * a header row, then the rows, {@code \n} line ends, UTF-8. RFC 4180 quoting by Jackson's CSV module: a field with
 * a comma, quote or line break is quoted and its quotes doubled; nothing else is quoted. Fields: nothing (null, or
 * a number that is not finite) is an empty field, numbers as Java prints them, times in ISO 8601, lists of scalars
 * as their elements separated by spaces, JSON objects and arrays as compact JSON. Pure, so shapes and quoting are
 * unit-tested; the rows are written as they come, so a long table is streamed.
 */
public final class TidyCsv {
    /** The CSV media type. */
    public static final String MEDIA_TYPE = "text/csv";
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).build();

    private TidyCsv() {
    }

    /** A table: its column names and its rows, each as long as the columns. */
    public record Table(List<String> columns, List<List<Object>> rows) {
        public Table {
            columns = List.copyOf(columns);
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("a row of " + row.size() + " fields under " + columns.size()
                            + " columns");
                }
            }
        }
    }

    /** Writes the table to the stream (which stays open). */
    public static void write(Table table, OutputStream out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\n");
        table.columns().forEach(schema::addColumn);
        try (SequenceWriter rows = CSV.writer(schema.build()).writeValues(out)) {
            for (List<Object> row : table.rows()) {
                rows.write(row.stream().map(TidyCsv::field).toList());
            }
        }
    }

    /** The table as one string. */
    public static String toString(Table table) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(table, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory cannot fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One value as the text of its field (before quoting). */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "" : d.toString();
        }
        if (value instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? "" : f.toString();
        }
        if (value instanceof TemporalAccessor) {
            return value.toString();
        }
        if (value instanceof JsonNode node) {
            if (node.isNull() || node.isMissingNode()) {
                return "";
            }
            if (node.isNumber()) {
                return node.isFloatingPointNumber() ? field(node.doubleValue()) : node.asText();
            }
            return node.isValueNode() ? node.asText() : EventCodec.toJson(node);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().anyMatch(Record.class::isInstance) ? EventCodec.toJson(list)
                    : list.stream().map(TidyCsv::field).collect(Collectors.joining(" "));
        }
        return value instanceof Record ? EventCodec.toJson(value) : value.toString();
    }
}
