package io.splicelab.splicer.splicing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Temporal consistency of one (cut, evaluation set, BatchNorm mode) of a run (docs/science.md section 2), over the
 * forward hybrids {@code H(a -> b)}, a before b, in two variants: over every checkpoint ({@code all}), and without
 * the initial checkpoint, the random initialisation at step 0, as shallow donor ({@code excludingInitial}): its
 * features are those of an untrained network, so every pair from it scores low and would drag a score that is
 * about learnt features down (issue 14: 0.757 with it, 0.967 without). Each variant has the TC score (the mean
 * relative accuracy over its pairs), the curve by lag in checkpoints (b's position minus a's in step order, keys
 * "1", "2", ...) and by lag in training steps (b's step minus a's, keys "100", "200", ...), and the first lag of
 * each curve whose mean falls below the threshold. Pairs whose deep donor is at chance ({@link ChanceLevel}) have
 * no meaningful relative accuracy and are left out of every mean; {@code chancePairs} counts them.
 *
 * <p>{@code curve}, {@code tcScore} and {@code dropLag} are the {@code all} variant's by checkpoint lag, the fields
 * the summary always had.
 *
 * @param initialStep the step of the initial checkpoint that {@code excludingInitial} leaves out (0); null when the
 *     run has no checkpoint at step 0, and then both variants are the same
 */
public record TcSummary(String cut, String evalSet, String bnMode, List<Integer> steps, Map<String, Double> curve,
        double tcScore, Integer dropLag, double threshold, Variant all, Variant excludingInitial, Integer initialStep,
        int chancePairs) {

    public static final double DEFAULT_THRESHOLD = 0.9;
    /** The step of the random initialisation. */
    public static final int INITIAL_STEP = 0;

    /**
     * One variant's numbers.
     *
     * @param tc mean relative accuracy over the variant's forward pairs; NaN when it has none
     * @param pairs how many forward pairs the mean is over (pairs at chance and missing ones are not)
     * @param curveByCheckpoints mean relative accuracy by lag in checkpoints
     * @param curveBySteps mean relative accuracy by lag in training steps
     * @param dropLag the first checkpoint lag below the threshold, null if none
     * @param dropLagSteps the first step lag below the threshold, null if none
     */
    public record Variant(double tc, int pairs, Map<String, Double> curveByCheckpoints, Map<String, Double> curveBySteps,
            Integer dropLag, Integer dropLagSteps) {
    }

    /** A summary without deep donors at chance. */
    public static TcSummary of(String cut, String evalSet, String bnMode, List<Integer> steps,
            Map<List<Integer>, Double> relativeAccuracy, double threshold) {
        return of(cut, evalSet, bnMode, steps, relativeAccuracy, Set.of(), threshold);
    }

    /**
     * @param relativeAccuracy relative accuracy by [shallow step, deep step]; missing pairs are skipped
     * @param deepDonorsAtChance the steps whose checkpoint is at chance on this evaluation set: pairs with one of
     *     them as deep donor are left out
     */
    public static TcSummary of(String cut, String evalSet, String bnMode, List<Integer> steps,
            Map<List<Integer>, Double> relativeAccuracy, Set<Integer> deepDonorsAtChance, double threshold) {
        List<Integer> sorted = steps.stream().sorted().toList();
        Integer initial = sorted.contains(INITIAL_STEP) ? INITIAL_STEP : null;
        int[] chance = new int[1];
        Variant all = variant(sorted, relativeAccuracy, deepDonorsAtChance, threshold, null, chance);
        Variant excluding = initial == null ? all
                : variant(sorted, relativeAccuracy, deepDonorsAtChance, threshold, initial, new int[1]);
        return new TcSummary(cut, evalSet, bnMode, new ArrayList<>(steps), all.curveByCheckpoints(), all.tc(),
                all.dropLag(), threshold, all, excluding, initial, chance[0]);
    }

    private static Variant variant(List<Integer> steps, Map<List<Integer>, Double> relativeAccuracy,
            Set<Integer> atChance, double threshold, Integer leaveOut, int[] chance) {
        TreeMap<Integer, double[]> byLag = new TreeMap<>();
        TreeMap<Integer, double[]> byStepLag = new TreeMap<>();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < steps.size(); i++) {
            int a = steps.get(i);
            if (leaveOut != null && a == leaveOut) {
                continue;
            }
            for (int j = i + 1; j < steps.size(); j++) {
                int b = steps.get(j);
                Double r = relativeAccuracy.get(List.of(a, b));
                if (r == null || r.isNaN()) {
                    continue;
                }
                if (atChance.contains(b)) {
                    chance[0]++;
                    continue;
                }
                add(byLag, j - i, r);
                add(byStepLag, b - a, r);
                sum += r;
                n++;
            }
        }
        Map<String, Double> curve = new LinkedHashMap<>();
        Integer drop = means(byLag, threshold, curve);
        Map<String, Double> curveSteps = new LinkedHashMap<>();
        Integer dropSteps = means(byStepLag, threshold, curveSteps);
        return new Variant(n == 0 ? Double.NaN : sum / n, n, curve, curveSteps, drop, dropSteps);
    }

    private static void add(TreeMap<Integer, double[]> byLag, int lag, double r) {
        double[] acc = byLag.computeIfAbsent(lag, k -> new double[2]);
        acc[0] += r;
        acc[1] += 1;
    }

    /** Fills the curve with the mean per lag, in lag order; returns the first lag below the threshold. */
    private static Integer means(TreeMap<Integer, double[]> byLag, double threshold, Map<String, Double> curve) {
        Integer drop = null;
        for (Map.Entry<Integer, double[]> e : byLag.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            curve.put(String.valueOf(e.getKey()), mean);
            if (drop == null && mean < threshold) {
                drop = e.getKey();
            }
        }
        return drop;
    }
}
