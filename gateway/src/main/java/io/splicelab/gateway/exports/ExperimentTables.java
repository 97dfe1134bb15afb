package io.splicelab.gateway.exports;

import io.splicelab.gateway.experiments.ExperimentViews.AnisotropyView;
import io.splicelab.gateway.experiments.ExperimentViews.CurvePoint;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentCurvesView;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentDetail;
import io.splicelab.gateway.experiments.ExperimentViews.RunRef;
import io.splicelab.gateway.experiments.ExperimentViews.VariantCurves;
import io.splicelab.gateway.experiments.ExperimentViews.VariantView;
import io.splicelab.gateway.experiments.Stat;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An experiment's views as tidy tables, for R and pandas next to the run tables ({@link RunTables}):
 * <ul>
 *   <li>variants: one row per (variant, figure, cut, evalSet): {@code experimentId,variant,figure,cut,evalSet,n,mean,
 *       sd,se}; figures {@code testAccuracy}, {@code corruptedAccuracy}, {@code accuracy} (per set), {@code tc} and
 *       {@code tcWithInitial} (per cut and set), {@code anisotropy.ledoitWolfZ}, {@code anisotropy.topKShare},
 *       {@code anisotropy.nullTopKShare};</li>
 *   <li>curves: one row per (variant, metric, step): {@code experimentId,variant,metric,step,n,mean,sd,se};</li>
 *   <li>runs: {@code experimentId,variant,seed}, then the columns of the run list.</li>
 * </ul>
 * Pure, so every shape is unit-tested.
 */
public final class ExperimentTables {
    /** The columns of the variants table. */
    public static final List<String> VARIANT_COLUMNS = List.of("experimentId", "variant", "figure", "cut", "evalSet",
            "n", "mean", "sd", "se");
    /** The columns of the curves table. */
    public static final List<String> CURVE_COLUMNS = List.of("experimentId", "variant", "metric", "step", "n", "mean",
            "sd", "se");

    private ExperimentTables() {
    }

    /** Every figure of every variant, one row each; figures without a value are left out. */
    public static TidyCsv.Table variants(ExperimentDetail e) {
        List<List<Object>> rows = new ArrayList<>();
        for (VariantView v : e.variants()) {
            add(rows, e, v, "testAccuracy", null, null, v.testAccuracy());
            add(rows, e, v, "corruptedAccuracy", null, null, v.corruptedAccuracy());
            v.accuracy().forEach((set, s) -> add(rows, e, v, "accuracy", null, set, s));
            v.tc().forEach((cut, bySet) -> bySet.forEach((set, s) -> add(rows, e, v, "tc", cut, set, s)));
            v.tcWithInitial().forEach((cut, bySet) -> bySet.forEach((set, s) -> add(rows, e, v, "tcWithInitial", cut,
                    set, s)));
            AnisotropyView a = v.anisotropy();
            if (a != null) {
                add(rows, e, v, "anisotropy.ledoitWolfZ", null, null, a.ledoitWolfZ());
                add(rows, e, v, "anisotropy.topKShare", null, null, a.topKShare());
                add(rows, e, v, "anisotropy.nullTopKShare", null, null, a.nullTopKShare());
            }
        }
        return new TidyCsv.Table(VARIANT_COLUMNS, rows);
    }

    private static void add(List<List<Object>> rows, ExperimentDetail e, VariantView v, String figure, String cut,
            String set, Stat s) {
        if (s != null) {
            rows.add(Arrays.asList(e.experimentId(), v.name(), figure, cut, set, s.n(), s.mean(), s.sd(), s.se()));
        }
    }

    /** Every point of every curve, variants in their order, metrics in the view's order, steps increasing. */
    public static TidyCsv.Table curves(ExperimentCurvesView view) {
        List<List<Object>> rows = new ArrayList<>();
        for (VariantCurves v : view.variants()) {
            for (String metric : view.metrics()) {
                for (CurvePoint p : v.curves().getOrDefault(metric, List.of())) {
                    rows.add(Arrays.asList(view.experimentId(), v.name(), metric, p.step(), p.n(), p.mean(), p.sd(),
                            p.se()));
                }
            }
        }
        return new TidyCsv.Table(CURVE_COLUMNS, rows);
    }

    /**
     * The experiment's runs: {@code experimentId}, {@code variant}, {@code seed}, then the columns of the run list;
     * a member without a summary (deleted meanwhile) is left out.
     */
    public static TidyCsv.Table runs(String experimentId, List<RunRef> members, List<RunSummary> summaries) {
        Map<String, RunSummary> byId = new java.util.HashMap<>();
        summaries.forEach(s -> byId.put(s.runId(), s));
        List<RunRef> present = members.stream().filter(m -> byId.containsKey(m.runId())).toList();
        TidyCsv.Table runs = RunTables.runs(present.stream().map(m -> byId.get(m.runId())).toList());
        List<String> columns = new ArrayList<>(List.of("experimentId", "variant", "seed"));
        columns.addAll(runs.columns());
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < present.size(); i++) {
            List<Object> row = new ArrayList<>(Arrays.asList(experimentId, present.get(i).variant(),
                    present.get(i).seed()));
            row.addAll(runs.rows().get(i));
            rows.add(row);
        }
        return new TidyCsv.Table(columns, rows);
    }
}
