package io.splicelab.stats.adhoc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates an ad-hoc request body: {@code {"samples"|"x"|"y"|"updates": arrays, "labels":
 * [ints], "parameters": {...}}}. A matrix is an array of equally long arrays of finite numbers (rows =
 * samples) or a flat array (one column). Every problem is reported with its field and position.
 */
public final class RequestBody {
    static final Set<String> FIELDS = Set.of("samples", "x", "y", "updates", "labels", "parameters");

    private final ObjectNode body;
    private final JsonNode parameters;
    private int values;

    public RequestBody(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new BadAnalysisRequestException(null, "the body must be a JSON object");
        }
        this.body = (ObjectNode) root;
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new BadAnalysisRequestException(f, "unknown field (known: samples, x, y, updates, labels, "
                        + "parameters)");
            }
        }
        JsonNode p = body.get("parameters");
        if (p != null && !p.isNull() && !p.isObject()) {
            throw new BadAnalysisRequestException("parameters", "must be an object");
        }
        this.parameters = p == null || p.isNull() ? body.objectNode() : p;
    }

    /** Whether a field is present. */
    public boolean has(String field) {
        return body.hasNonNull(field);
    }

    /** A required matrix field. */
    public double[][] matrix(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw new BadAnalysisRequestException(field, "is required");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new BadAnalysisRequestException(field, "must be a non-empty array");
        }
        boolean flat = !node.get(0).isArray();
        int rows = node.size();
        int cols = flat ? 1 : node.get(0).size();
        count(field, (long) rows * cols);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            JsonNode row = node.get(i);
            if (flat) {
                out[i][0] = number(row, field + "[" + i + "]");
                continue;
            }
            if (!row.isArray()) {
                throw new BadAnalysisRequestException(field, "row " + i + " is not an array (rows must all be arrays "
                        + "or all numbers)");
            }
            if (row.size() != cols) {
                throw new BadAnalysisRequestException(field, "ragged array: row " + i + " has " + row.size()
                        + " values, row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                out[i][j] = number(row.get(j), field + "[" + i + "][" + j + "]");
            }
        }
        if (cols == 0) {
            throw new BadAnalysisRequestException(field, "rows are empty");
        }
        return out;
    }

    /** A required 1-D field (a flat array, or a one-column matrix). */
    public double[] vector(String field) {
        double[][] m = matrix(field);
        if (m[0].length != 1) {
            throw new BadAnalysisRequestException(field, "must be a flat array of numbers");
        }
        double[] v = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            v[i] = m[i][0];
        }
        return v;
    }

    /** Integer labels. */
    public int[] labels() {
        JsonNode node = body.get("labels");
        if (node == null || !node.isArray()) {
            throw new BadAnalysisRequestException("labels", "is required: an array of integer class labels");
        }
        count("labels", node.size());
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new BadAnalysisRequestException("labels", "labels[" + i + "] is not an integer");
            }
            out[i] = v.intValue();
        }
        return out;
    }

    /** An integer parameter within [min, max], or its default. */
    public int intParam(String name, int dflt, int min, int max) {
        JsonNode v = parameters.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new BadAnalysisRequestException("parameters." + name, "must be an integer in [" + min + ", " + max
                    + "]");
        }
        return v.intValue();
    }

    /** A long parameter (seeds), or its default. */
    public long longParam(String name, long dflt) {
        JsonNode v = parameters.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadAnalysisRequestException("parameters." + name, "must be an integer");
        }
        return v.longValue();
    }

    /** A number parameter within (lo, hi], or its default. */
    public double doubleParam(String name, double dflt, double lo, double hi) {
        JsonNode v = parameters.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber() || !(v.doubleValue() > lo && v.doubleValue() <= hi)) {
            throw new BadAnalysisRequestException("parameters." + name, "must be a number in (" + lo + ", " + hi + "]");
        }
        return v.doubleValue();
    }

    /** A text parameter (numbers are accepted as their text), or its default. */
    public String textParam(String name, String dflt) {
        JsonNode v = parameters.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new BadAnalysisRequestException("parameters." + name, "must be a string");
        }
        return v.asText();
    }

    /** An integer-list parameter, or its default. */
    public int[] intsParam(String name, int[] dflt, int min, int max) {
        JsonNode v = parameters.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new BadAnalysisRequestException("parameters." + name, "must be a non-empty array of integers");
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || e.longValue() < min || e.longValue() > max) {
                throw new BadAnalysisRequestException("parameters." + name, "values must be integers in [" + min + ", "
                        + max + "]");
            }
            out[i] = e.intValue();
        }
        return out;
    }

    /** Rejects parameters the analysis does not know, so a typo is not silently ignored. */
    public void onlyParameters(Set<String> known) {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) parameters::fields) {
            if (!known.contains(e.getKey())) {
                throw new BadAnalysisRequestException("parameters." + e.getKey(), "unknown parameter (known: "
                        + (known.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(known))) + ")");
            }
        }
    }

    private void count(String field, long n) {
        values += (int) Math.min(n, Integer.MAX_VALUE);
        if (n > AnalysisLimits.MAX_VALUES || values > AnalysisLimits.MAX_VALUES) {
            throw new BadAnalysisRequestException(field, "the request has more than " + AnalysisLimits.MAX_VALUES
                    + " numbers (the documented limit)");
        }
    }

    private static double number(JsonNode v, String where) {
        if (v == null || !v.isNumber()) {
            throw new BadAnalysisRequestException(where.substring(0, where.indexOf('[')), where + " is not a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new BadAnalysisRequestException(where.substring(0, where.indexOf('[')), where + " is not finite");
        }
        return d;
    }
}
