package io.splicelab.gateway.exports;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.gateway.groups.GroupViews.GroupDetail;
import io.splicelab.gateway.groups.GroupViews.GroupRun;
import io.splicelab.gateway.runs.RunViews.CheckpointView;
import io.splicelab.gateway.runs.RunViews.ProgressView;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import io.splicelab.gateway.runs.RunViews.StatsResultView;
import io.splicelab.gateway.runs.RunViews.StatsView;
import io.splicelab.gateway.runs.RunViews.SummariesView;
import io.splicelab.gateway.runs.RunViews.SummaryView;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The run views as tidy tables, one row per observation; the columns are documented on the endpoints (OpenAPI) and
 * in gateway/README.md:
 * <ul>
 *   <li>runs: one row per run, the fields of the JSON list, then {@code config.<field>};</li>
 *   <li>checkpoints, progress: {@code runId}, then one row per checkpoint / progress point with its JSON fields;</li>
 *   <li>summaries: one row per (cut, evalSet, bnMode, lag): {@code runId,cut,evalSet,bnMode,lag,
 *       meanRelativeAccuracy,tcScore,tcExcludingInitial,chancePairs,dropLag,threshold,steps,updatedAt} (the curve,
 *       lag in checkpoints, is the lag rows);</li>
 *   <li>stats: one row per number (or other scalar) of a result's {@code values}: {@code runId}, the result's fields
 *       ({@code analysis,source,cut,probeSet,evalSet,bnMode,steps,shape}, any others), {@code parameters} (compact JSON),
 *       {@code variable} (the keys down to the value, dot-separated, e.g. {@code series.train}), {@code index} (its
 *       array positions, comma-separated, e.g. {@code 2,5}; empty for a scalar) and {@code value}.</li>
 * </ul>
 * Pure, so every shape is unit-tested.
 */
public final class RunTables {
    /** The columns of the summaries table. */
    public static final List<String> SUMMARY_COLUMNS = List.of("runId", "cut", "evalSet", "bnMode", "lag",
            "meanRelativeAccuracy", "tcScore", "tcExcludingInitial", "chancePairs", "dropLag", "threshold", "steps",
            "updatedAt");

    private RunTables() {
    }

    public static TidyCsv.Table runs(List<RunSummary> runs) {
        return RecordTable.of(RunSummary.class, runs, Map.of());
    }

    /**
     * A group's runs: {@code groupId}, {@code factor}, {@code value} (the run's value of the factor), then the
     * columns of {@link #runs}.
     */
    public static TidyCsv.Table groupRuns(GroupDetail group) {
        TidyCsv.Table runs = runs(group.runs().stream().map(GroupRun::run).toList());
        List<String> columns = new ArrayList<>(List.of("groupId", "factor", "value"));
        columns.addAll(runs.columns());
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < runs.rows().size(); i++) {
            List<Object> row = new ArrayList<>(java.util.Arrays.asList(group.groupId(), group.factor(),
                    group.runs().get(i).value()));
            row.addAll(runs.rows().get(i));
            rows.add(row);
        }
        return new TidyCsv.Table(columns, rows);
    }

    public static TidyCsv.Table checkpoints(String runId, List<CheckpointView> checkpoints) {
        return RecordTable.of(CheckpointView.class, checkpoints, Map.of("runId", runId));
    }

    public static TidyCsv.Table progress(String runId, List<ProgressView> points) {
        return RecordTable.of(ProgressView.class, points, Map.of("runId", runId));
    }

    /** One row per lag of each summary's curve, lags in increasing order; a summary without a curve has none. */
    public static TidyCsv.Table summaries(SummariesView view) {
        List<List<Object>> rows = new ArrayList<>();
        for (SummaryView s : view.summaries()) {
            List<Map.Entry<String, JsonNode>> lags = new ArrayList<>();
            if (s.curve() != null && s.curve().isObject()) {
                s.curve().fields().forEachRemaining(lags::add);
            }
            lags.sort(Comparator.comparing((Map.Entry<String, JsonNode> e) -> lagOrder(e.getKey()))
                    .thenComparing(Map.Entry::getKey));
            for (Map.Entry<String, JsonNode> lag : lags) {
                rows.add(java.util.Arrays.asList(view.runId(), s.cut(), s.evalSet(), s.bnMode(), lag.getKey(),
                        lag.getValue(), s.tcScore(), s.tcExcludingInitial(), s.chancePairs(), s.dropLag(), s.threshold(),
                        s.steps(), s.updatedAt()));
            }
        }
        return new TidyCsv.Table(SUMMARY_COLUMNS, rows);
    }

    private static long lagOrder(String lag) {
        try {
            return Long.parseLong(lag);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One row per scalar in each result's {@code values}, in the order of the JSON. */
    public static TidyCsv.Table stats(StatsView view) {
        List<RecordComponent> fields = new ArrayList<>();
        RecordComponent parameters = null;
        RecordComponent values = null;
        for (RecordComponent c : StatsResultView.class.getRecordComponents()) {
            switch (c.getName()) {
                case "parameters" -> parameters = c;
                case "values" -> values = c;
                default -> fields.add(c);
            }
        }
        List<String> columns = new ArrayList<>(List.of("runId"));
        fields.forEach(c -> columns.add(c.getName()));
        columns.addAll(List.of("parameters", "variable", "index", "value"));
        List<List<Object>> rows = new ArrayList<>();
        for (StatsResultView r : view.results()) {
            List<Object> head = new ArrayList<>(List.of(view.runId()));
            fields.forEach(c -> head.add(value(c, r)));
            JsonNode p = parameters == null ? null : (JsonNode) value(parameters, r);
            head.add(p == null || p.isNull() || (p.isObject() && p.isEmpty()) ? null : p);
            JsonNode v = values == null ? null : (JsonNode) value(values, r);
            flatten(v, "", "", (variable, index, value) -> {
                List<Object> row = new ArrayList<>(head);
                row.add(variable);
                row.add(index);
                row.add(value);
                rows.add(row);
            });
        }
        return new TidyCsv.Table(columns, rows);
    }

    interface Leaf {
        void accept(String variable, String index, JsonNode value);
    }

    /** Walks a JSON value down to its scalars: object keys make the variable, array positions the index. */
    static void flatten(JsonNode node, String variable, String index, Leaf leaf) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> f = node.fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> e = f.next();
                flatten(e.getValue(), variable.isEmpty() ? e.getKey() : variable + "." + e.getKey(), index, leaf);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), variable, index.isEmpty() ? Integer.toString(i) : index + "," + i, leaf);
            }
        } else {
            leaf.accept(variable, index, node);
        }
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }
}
