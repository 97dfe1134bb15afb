package io.splicelab.stats.results;

import io.splicelab.model.values.EvalSet;
import io.splicelab.model.values.ProbeSet;
import io.splicelab.stats.analysis.NoiseAnalyzer;
import io.splicelab.stats.analysis.ProbeDistanceAnalyzer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * The paper's claims for one run, from its stored results (issue 5, part 5): is isotropy of the SGD
 * noise rejected (statistics, p-values, per checkpoint and overall), how many directions carry the
 * variance threshold, how the noise aligns with the trajectory, and how the train/test distance of the
 * temporally augmented features moved against the generalization gap. What cannot be said is listed under
 * {@code missing} instead of being guessed. Pure: results in, report out.
 */
public final class RunReport {
    private RunReport() {
    }

    /** A checkpoint's accuracy on an evaluation set. */
    public record Accuracy(int step, String evalSet, double accuracy) {
    }

    /**
     * The report. The generalization gap at a step is train minus test accuracy of the checkpoint, the
     * "train" evaluation set being {@code train-probe} if present, else {@code train}; the distance series
     * is keyed by the last step of each window.
     */
    public static Map<String, Object> build(String runId, List<StatsResultView> results, List<Accuracy> accuracies) {
        Map<String, Object> report = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        report.put("runId", runId);
        report.put("isotropy", isotropy(results, missing));
        report.put("alignment", byStep(results, NoiseAnalyzer.ALIGNMENT, "fraction", "randomExpectation",
                "enrichment", "pValue", "k", "updateSteps"));
        report.put("tailIndex", byStep(results, NoiseAnalyzer.TAIL_INDEX, "alpha"));
        report.put("featureDistance", distance(results, accuracies, missing));
        report.put("missing", missing);
        return report;
    }

    private static Map<String, Object> isotropy(List<StatsResultView> results, List<String> missing) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int rejected = 0;
        Object alpha = null;
        Object threshold = null;
        for (StatsResultView r : results) {
            if (!NoiseAnalyzer.ANISOTROPY.equals(r.analysis())) {
                continue;
            }
            Map<String, Object> v = r.values();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", r.steps().isEmpty() ? null : r.steps().get(r.steps().size() - 1));
            row.put("m", v.get("m"));
            row.put("p", v.get("p"));
            row.put("ledoitWolf", v.get("ledoitWolf"));
            row.put("srivastava", v.get("srivastava"));
            row.put("monteCarloNull", v.get("monteCarloNull"));
            row.put("directionsForThreshold", v.get("directionsForThreshold"));
            row.put("nullDirectionsForThreshold", v.get("nullDirectionsForThreshold"));
            row.put("participationRatio", v.get("participationRatio"));
            row.put("effectiveRankEntropy", v.get("effectiveRankEntropy"));
            row.put("isotropyRejected", v.get("isotropyRejected"));
            if (Boolean.TRUE.equals(v.get("isotropyRejected"))) {
                rejected++;
            }
            alpha = r.parameters().get("alpha");
            threshold = r.parameters().get("varianceThreshold");
            rows.add(row);
        }
        rows.sort((a, b) -> Integer.compare(num(a.get("step")).intValue(), num(b.get("step")).intValue()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checkpoints", rows.size());
        out.put("rejectedAt", rejected);
        out.put("alpha", alpha);
        out.put("varianceThreshold", threshold);
        if (rows.isEmpty()) {
            missing.add("noise: no noise-anisotropy results (no NoiseSampled events for this run yet)");
            out.put("claim", "unknown: no noise samples analysed");
        } else {
            Map<String, Object> last = rows.get(rows.size() - 1);
            out.put("claim", String.format(java.util.Locale.ROOT,
                    "isotropy rejected (Ledoit-Wolf and Srivastava both below alpha) at %d of %d checkpoints; at the "
                            + "last checkpoint (step %s) %s of %s directions carry %s of the noise variance",
                    rejected, rows.size(), last.get("step"), last.get("directionsForThreshold"),
                    last.get("m") == null ? "?" : num(last.get("m")).intValue() - 1, threshold));
            out.put("latest", last);
        }
        out.put("byStep", rows);
        return out;
    }

    private static List<Map<String, Object>> byStep(List<StatsResultView> results, String analysis, String... keys) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StatsResultView r : results) {
            if (!analysis.equals(r.analysis())) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", r.steps().isEmpty() ? null : r.steps().get(r.steps().size() - 1));
            for (String k : keys) {
                row.put(k, r.values().get(k));
            }
            rows.add(row);
        }
        rows.sort((a, b) -> Integer.compare(num(a.get("step")).intValue(), num(b.get("step")).intValue()));
        return rows;
    }

    private static List<Map<String, Object>> distance(List<StatsResultView> results, List<Accuracy> accuracies,
            List<String> missing) {
        Map<Integer, Double> train = new TreeMap<>();
        Map<Integer, Double> test = new TreeMap<>();
        String trainSet = null;
        for (String candidate : List.of(ProbeSet.TRAIN_PROBE.wire(), EvalSet.TRAIN.wire())) {
            for (Accuracy a : accuracies) {
                if (a.evalSet().equals(candidate) && (trainSet == null || trainSet.equals(candidate))) {
                    trainSet = candidate;
                    train.put(a.step(), a.accuracy());
                }
            }
        }
        for (Accuracy a : accuracies) {
            if (a.evalSet().equals(EvalSet.TEST.wire())) {
                test.put(a.step(), a.accuracy());
            }
        }
        if (train.isEmpty()) {
            missing.add("generalization gap: no train accuracy (a diagonal hybrid cell with eval set train-probe or "
                    + "train); the splicer evaluates " + (test.isEmpty() ? "nothing yet" : "test only"));
        }
        if (test.isEmpty()) {
            missing.add("generalization gap: no test accuracy (a diagonal hybrid cell with eval set test)");
        }
        Map<String, List<StatsResultView>> groups = new TreeMap<>();
        for (StatsResultView r : results) {
            if (ProbeDistanceAnalyzer.NAME.equals(r.analysis())) {
                groups.computeIfAbsent(r.probeSet() + " @ " + r.cut(), k -> new ArrayList<>()).add(r);
            }
        }
        if (groups.isEmpty()) {
            missing.add("feature distance: no probe-distance results (needs snapshots of two probe sets at the same "
                    + "steps; the splicer currently publishes probe set test only)");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, List<StatsResultView>> g : groups.entrySet()) {
            List<StatsResultView> rs = new ArrayList<>(g.getValue());
            rs.sort((a, b) -> Integer.compare(last(a), last(b)));
            List<Map<String, Object>> series = new ArrayList<>();
            List<double[]> paired = new ArrayList<>();
            for (StatsResultView r : rs) {
                int step = last(r);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", step);
                row.put("windowSteps", r.steps());
                row.put("tv", r.values().get("tv"));
                row.put("mmd2", r.values().get("mmd2"));
                row.put("mmdPValue", r.values().get("mmdPValue"));
                Double gap = train.containsKey(step) && test.containsKey(step) ? train.get(step) - test.get(step) : null;
                row.put("trainAccuracy", train.get(step));
                row.put("testAccuracy", test.get(step));
                row.put("generalizationGap", gap);
                if (gap != null) {
                    paired.add(new double[] {num(r.values().get("tv")).doubleValue(),
                            num(r.values().get("mmd2")).doubleValue(), gap});
                }
                series.add(row);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("probeSets", rs.get(0).probeSet());
            entry.put("cut", rs.get(0).cut());
            entry.put("trainEvalSet", trainSet);
            entry.put("series", series);
            if (series.size() >= 2) {
                entry.put("tvChange", num(series.get(series.size() - 1).get("tv")).doubleValue()
                        - num(series.get(0).get("tv")).doubleValue());
            }
            if (paired.size() >= 3) {
                double[] tv = paired.stream().mapToDouble(p -> p[0]).toArray();
                double[] mmd = paired.stream().mapToDouble(p -> p[1]).toArray();
                double[] gap = paired.stream().mapToDouble(p -> p[2]).toArray();
                entry.put("spearmanTvVsGap", new SpearmansCorrelation().correlation(tv, gap));
                entry.put("spearmanMmdVsGap", new SpearmansCorrelation().correlation(mmd, gap));
            } else {
                entry.put("spearmanTvVsGap", null);
                entry.put("note", "a correlation with the gap needs at least 3 windows with train and test accuracy, "
                        + "found " + paired.size());
            }
            out.add(entry);
        }
        return out;
    }

    private static int last(StatsResultView r) {
        return r.steps().isEmpty() ? 0 : r.steps().get(r.steps().size() - 1);
    }

    private static Number num(Object o) {
        return o instanceof Number n ? n : Double.NaN;
    }
}
