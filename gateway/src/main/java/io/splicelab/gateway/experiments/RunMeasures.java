package io.splicelab.gateway.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.values.EvalSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of an experiment measured, as the experiment view and the claims report compare it across seeds:
 * its final accuracy per evaluation set (the diagonal cell of its latest checkpoint: the network itself), its
 * temporal consistency per cut and evaluation set (with and without the initial checkpoint) and its SGD-noise
 * anisotropy (the latest analysed noise sample). Pure: the read model's rows in, numbers out.
 *
 * @param accuracy final accuracy by evaluation set
 * @param accuracyStep the checkpoint step of each final accuracy
 * @param tc temporal consistency without the initial checkpoint, by cut then evaluation set: the splicer's
 *     {@code tcExcludingInitial}, else (older summaries) the mean relative accuracy of the forward hybrids whose shallow
 *     part is a trained checkpoint (a random initialisation is not a "shallow part learnt earlier", and hybrids with it
 *     are what pulls TC down in every run)
 * @param tcWithInitial the same over the whole forward triangle (the splicer's {@code tcScore})
 * @param anisotropy the latest noise-anisotropy result, null when none
 * @param classes the number of classes of the run's dataset (chance is 1 / classes)
 */
public record RunMeasures(String runId, String variant, long seed, String status, String gridStatus,
        Map<String, Double> accuracy, Map<String, Integer> accuracyStep, Map<String, Map<String, Double>> tc,
        Map<String, Map<String, Double>> tcWithInitial, Anisotropy anisotropy, int classes) {

    /** The BatchNorm mode whose cells are read when a run has several: the one every grid has. */
    public static final String BN_MODE = "carry";
    /** The k of "the top k directions carry most of the noise variance". */
    public static final int TOP_K = 5;

    /** One cell of the run's hybrid grid, as far as the measures need it. */
    public record Cell(String cut, String evalSet, String bnMode, int shallowStep, int deepStep, int samples,
            Double accuracy, Double relativeAccuracy) {
    }

    /**
     * The anisotropy of one noise sample (stats-service {@code noise-anisotropy}).
     *
     * @param ledoitWolfZ the John-type statistic, standard normal under isotropy
     * @param ledoitWolfP its p-value
     * @param k the k of the Monte Carlo figures
     * @param topKShare the share of noise variance in the top k directions
     * @param nullTopKShare its mean under the isotropic null
     * @param monteCarloP the Monte Carlo p-value of the top-k share
     */
    public record Anisotropy(int step, double ledoitWolfZ, double ledoitWolfP, int k, double topKShare,
            double nullTopKShare, double monteCarloP) {
    }

    /**
     * The splicer's TC summary of a (cut, evaluation set, BatchNorm mode), when it published one: its TC and its TC
     * without the initial checkpoint (null from splicers before that field), both without the pairs whose deep
     * donor is at chance (the splicer's chance rule).
     */
    public record Summary(String cut, String evalSet, String bnMode, Double tc, Double tcExcludingInitial) {
    }

    /** Whether the set is a corrupted copy of the test subset. */
    public static boolean isCorrupted(String evalSet) {
        try {
            return EvalSet.parse(evalSet).isCorrupted();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The mean final accuracy over the corrupted sets, null when the run has none. */
    public Double corruptedAccuracy() {
        List<Double> v = accuracy.entrySet().stream().filter(e -> isCorrupted(e.getKey())).map(Map.Entry::getValue)
                .toList();
        return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** The temporal consistency without the initial checkpoint on a set, averaged over the cuts; null when none. */
    public Double tcOverCuts(String evalSet) {
        List<Double> v = new ArrayList<>();
        tc.values().forEach(bySet -> {
            Double x = bySet.get(evalSet);
            if (x != null && !x.isNaN()) {
                v.add(x);
            }
        });
        return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** The same over the corrupted sets (the mean of their per-set values); null when none. */
    public Double tcOverCutsCorrupted() {
        List<Double> v = new ArrayList<>();
        tc.values().forEach(bySet -> bySet.forEach((set, x) -> {
            if (isCorrupted(set) && x != null && !x.isNaN()) {
                v.add(x);
            }
        }));
        return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /**
     * @param cells the run's hybrid cells (any BatchNorm modes; {@link #BN_MODE} is preferred)
     * @param noise the run's {@code noise-anisotropy} values by step
     */
    public static RunMeasures of(String runId, String variant, long seed, String status, String gridStatus,
            List<Cell> cells, Map<Integer, JsonNode> noise, int classes) {
        return of(runId, variant, seed, status, gridStatus, cells, List.of(), noise, classes);
    }

    /**
     * @param summaries the splicer's TC summaries: where one has a figure it is taken (it applies the splicer's
     *     chance rule); the cells give the rest (the mean relative accuracy of the forward hybrids)
     */
    public static RunMeasures of(String runId, String variant, long seed, String status, String gridStatus,
            List<Cell> cells, List<Summary> summaries, Map<Integer, JsonNode> noise, int classes) {
        String mode = cells.stream().anyMatch(c -> BN_MODE.equals(c.bnMode())) ? BN_MODE
                : cells.stream().map(Cell::bnMode).sorted().findFirst().orElse(BN_MODE);
        List<Cell> own = cells.stream().filter(c -> mode.equals(c.bnMode())).toList();
        Map<String, Double> accuracy = new TreeMap<>();
        Map<String, Integer> accuracyStep = new TreeMap<>();
        for (Cell c : own) {
            if (c.shallowStep() != c.deepStep() || c.accuracy() == null || c.accuracy().isNaN()) {
                continue;
            }
            Integer at = accuracyStep.get(c.evalSet());
            if (at == null || c.deepStep() > at) {
                accuracyStep.put(c.evalSet(), c.deepStep());
                accuracy.put(c.evalSet(), c.accuracy());
            }
        }
        int first = own.stream().mapToInt(c -> Math.min(c.shallowStep(), c.deepStep())).min().orElse(0);
        // the splicer's chance rule: a deep donor at chance on a set gives no meaningful relative accuracy
        java.util.Set<String> atChance = new java.util.HashSet<>();
        for (Cell c : own) {
            if (c.shallowStep() == c.deepStep() && c.accuracy() != null && c.samples() > 0
                    && atChance(c.accuracy(), classes, c.samples())) {
                atChance.add(c.cut() + "\u0000" + c.evalSet() + "\u0000" + c.deepStep());
            }
        }
        Map<String, Map<String, double[]>> sums = new TreeMap<>();
        Map<String, Map<String, double[]>> sumsAll = new TreeMap<>();
        for (Cell c : own) {
            if (c.shallowStep() >= c.deepStep() || c.relativeAccuracy() == null || c.relativeAccuracy().isNaN()
                    || atChance.contains(c.cut() + "\u0000" + c.evalSet() + "\u0000" + c.deepStep())) {
                continue;
            }
            add(sumsAll, c);
            if (c.shallowStep() > first) {
                add(sums, c);
            }
        }
        Map<String, Map<String, Double>> tc = means(sums);
        Map<String, Map<String, Double>> tcAll = means(sumsAll);
        for (Summary t : summaries) {
            if (!mode.equals(t.bnMode())) {
                continue;
            }
            if (t.tcExcludingInitial() != null) {
                put(tc, t.cut(), t.evalSet(), t.tcExcludingInitial());
            }
            if (t.tc() != null) {
                put(tcAll, t.cut(), t.evalSet(), t.tc());
            }
        }
        return new RunMeasures(runId, variant, seed, status, gridStatus, accuracy, accuracyStep, tc, tcAll,
                anisotropy(noise), classes);
    }

    /** At most chance plus two standard errors: the splicer's rule (ChanceLevel). */
    static boolean atChance(double accuracy, int classes, int samples) {
        if (classes < 2) {
            return false;
        }
        double p = 1.0 / classes;
        return accuracy <= p + 2 * Math.sqrt(p * (1 - p) / samples);
    }

    /** A figure replaced by the splicer's; NaN (no pair left) removes it. */
    private static void put(Map<String, Map<String, Double>> out, String cut, String set, double value) {
        if (Double.isNaN(value)) {
            Map<String, Double> bySet = out.get(cut);
            if (bySet != null) {
                bySet.remove(set);
            }
            return;
        }
        out.computeIfAbsent(cut, k -> new TreeMap<>()).put(set, value);
    }

    private static void add(Map<String, Map<String, double[]>> sums, Cell c) {
        double[] s = sums.computeIfAbsent(c.cut(), k -> new TreeMap<>()).computeIfAbsent(c.evalSet(),
                k -> new double[2]);
        s[0] += c.relativeAccuracy();
        s[1]++;
    }

    private static Map<String, Map<String, Double>> means(Map<String, Map<String, double[]>> sums) {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        sums.forEach((cut, bySet) -> bySet.forEach((set, s) -> out.computeIfAbsent(cut, k -> new TreeMap<>())
                .put(set, s[0] / s[1])));
        return out;
    }

    /** The latest step's anisotropy, or null when no step has one that can be read. */
    static Anisotropy anisotropy(Map<Integer, JsonNode> noise) {
        Anisotropy latest = null;
        for (Map.Entry<Integer, JsonNode> e : new TreeMap<>(noise).entrySet()) {
            JsonNode v = e.getValue();
            JsonNode lw = v == null ? null : v.get("ledoitWolf");
            JsonNode mc = v == null ? null : v.get("monteCarloNull");
            if (lw == null || mc == null || !mc.isArray() || mc.isEmpty()) {
                continue;
            }
            JsonNode chosen = null;
            for (JsonNode k : mc) {
                int kk = k.path("k").asInt();
                if (kk <= TOP_K && (chosen == null || kk > chosen.path("k").asInt())) {
                    chosen = k;
                }
            }
            if (chosen == null) {
                chosen = mc.get(0);
            }
            latest = new Anisotropy(e.getKey(), lw.path("z").asDouble(Double.NaN), lw.path("pValue").asDouble(Double.NaN),
                    chosen.path("k").asInt(), chosen.path("observed").asDouble(Double.NaN),
                    chosen.path("nullMean").asDouble(Double.NaN), chosen.path("pValue").asDouble(Double.NaN));
        }
        return latest;
    }
}
