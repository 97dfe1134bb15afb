package io.splicelab.model.plugin;

import io.splicelab.model.events.Payloads.StatsComputed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@code StatsComputed} results in the documented shapes (docs/events/asyncapi.yaml), so a generic
 * viewer (the gateway) can draw an analysis it has never heard of.
 *
 * <ul>
 * <li>{@code scalar}: {@code values} maps names to numbers (or strings, booleans);</li>
 * <li>{@code table}: {@code values} = {@code {"rowKey": "step", "columnKey": "step", "rows": [...],
 * "columns": [...], "cells": [[...], ...]}}: cells[i][j] belongs to rows[i] and columns[j], a number or
 * null;</li>
 * <li>{@code series}: {@code values} = {@code {"xKey": "lag", "x": [...], "y": {"name": [...], ...}}}: one or
 * more named lines over the same x.</li>
 * </ul>
 */
public final class StatsResults {
    public static final String SCALAR = "scalar";
    public static final String TABLE = "table";
    public static final String SERIES = "series";
    public static final Set<String> SHAPES = Set.of(SCALAR, TABLE, SERIES);

    private StatsResults() {
    }

    /** A result of named values, e.g. one statistic per checkpoint and cut. */
    public static StatsComputed scalar(String runId, String analysis, String cut, String probeSet, List<Integer> steps,
            Map<String, Object> parameters, Map<String, Object> values) {
        return check(new StatsComputed(runId, analysis, cut, probeSet, steps, SCALAR, parameters, values));
    }

    /**
     * A table: {@code cells[i][j]} is the value of row {@code rows.get(i)} and column {@code columns.get(j)}
     * (NaN becomes null).
     */
    public static StatsComputed table(String runId, String analysis, String cut, String probeSet,
            List<Integer> steps, Map<String, Object> parameters, String rowKey, List<?> rows, String columnKey,
            List<?> columns, double[][] cells) {
        if (cells.length != rows.size()) {
            throw new IllegalArgumentException(cells.length + " rows of cells for " + rows.size() + " row labels");
        }
        List<List<Double>> out = new ArrayList<>();
        for (double[] row : cells) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException(row.length + " cells in a row for " + columns.size() + " columns");
            }
            List<Double> r = new ArrayList<>(row.length);
            for (double v : row) {
                r.add(Double.isFinite(v) ? v : null);
            }
            out.add(r);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("rowKey", rowKey);
        values.put("columnKey", columnKey);
        values.put("rows", List.copyOf(rows));
        values.put("columns", List.copyOf(columns));
        values.put("cells", out);
        return check(new StatsComputed(runId, analysis, cut, probeSet, steps, TABLE, parameters, values));
    }

    /**
     * A series: one or more named lines over the same x, {@code lines.get(name).get(i)} belonging to {@code x.get(i)}
     * (NaN and infinities become null, a gap in the line). The form the gateway draws and the schema checks.
     */
    public static StatsComputed series(String runId, String analysis, String cut, String probeSet, List<Integer> steps,
            Map<String, Object> parameters, String xKey, List<?> x, Map<String, ? extends List<? extends Number>> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one line");
        }
        Map<String, List<Double>> y = new LinkedHashMap<>();
        lines.forEach((name, ys) -> {
            if (ys.size() != x.size()) {
                throw new IllegalArgumentException("line " + name + " has " + ys.size() + " values for " + x.size()
                        + " x");
            }
            List<Double> out = new ArrayList<>(ys.size());
            for (Number v : ys) {
                out.add(v == null || !Double.isFinite(v.doubleValue()) ? null : v.doubleValue());
            }
            y.put(name, out);
        });
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("xKey", xKey);
        values.put("x", List.copyOf(x));
        values.put("y", y);
        return check(new StatsComputed(runId, analysis, cut, probeSet, steps, SERIES, parameters, values));
    }

    /** Checks what the contract requires of a result; returns it. */
    static StatsComputed check(StatsComputed r) {
        if (r.runId() == null || r.runId().isBlank() || r.runId().length() > 64) {
            throw new IllegalArgumentException("runId must have 1 to 64 characters");
        }
        if (r.analysis() == null || r.analysis().isBlank()) {
            throw new IllegalArgumentException("analysis is required");
        }
        if (r.shape() == null || !SHAPES.contains(r.shape())) {
            throw new IllegalArgumentException("shape must be one of " + SHAPES + ": " + r.shape());
        }
        if (r.values() == null) {
            throw new IllegalArgumentException("values are required");
        }
        return r;
    }
}
