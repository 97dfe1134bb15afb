package io.splicelab.gateway.hybrids;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The hybrid grid as CSV, one row per cell and one column per metric, for spreadsheets and pandas. Pure, so
 * the quoting rules are unit-tested.
 */
public final class HybridCsv {
    /** The CSV media type. */
    public static final String MEDIA_TYPE = "text/csv";

    private HybridCsv() {
    }

    public static String write(HybridGrid.View view) {
        TreeSet<String> metrics = new TreeSet<>();
        view.cells().forEach(c -> metrics.addAll(c.metrics().keySet()));
        StringBuilder out = new StringBuilder("runId,cut,evalSet,bnMode,precision,shallowStep,deepStep,samples");
        metrics.forEach(m -> out.append(',').append(quote(m)));
        out.append('\n');
        for (HybridGrid.Cell c : view.cells()) {
            row(out, List.of(view.runId(), c.cut(), c.evalSet(), c.bnMode(), c.precision() == null ? "" : c.precision(),
                    Integer.toString(c.shallowStep()), Integer.toString(c.deepStep()), Integer.toString(c.samples())));
            Map<String, Double> values = c.metrics();
            for (String m : metrics) {
                Double v = values.get(m);
                out.append(',').append(v == null ? "" : Double.toString(v));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(fields.get(i)));
        }
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
