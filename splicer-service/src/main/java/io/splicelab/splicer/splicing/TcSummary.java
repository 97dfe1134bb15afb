package io.splicelab.splicer.splicing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Temporal consistency of one (cut, evaluation set, BatchNorm mode) of a run (docs/science.md section 2):
 * the mean relative accuracy of the forward hybrids (a before b) by lag, where the lag is the number of
 * checkpoints between them (b's position minus a's in step order, keys "1", "2", ...); the TC score, the
 * mean over the whole forward triangle; and the first lag whose mean falls below the threshold.
 */
public record TcSummary(String cut, String evalSet, String bnMode, List<Integer> steps, Map<String, Double> curve,
        double tcScore, Integer dropLag, double threshold) {

    public static final double DEFAULT_THRESHOLD = 0.9;

    /** @param relativeAccuracy relative accuracy by [shallow step, deep step]; missing pairs are skipped */
    public static TcSummary of(String cut, String evalSet, String bnMode, List<Integer> steps,
            Map<List<Integer>, Double> relativeAccuracy, double threshold) {
        TreeMap<Integer, double[]> byLag = new TreeMap<>();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < steps.size(); i++) {
            for (int j = i + 1; j < steps.size(); j++) {
                Double r = relativeAccuracy.get(List.of(steps.get(i), steps.get(j)));
                if (r == null || r.isNaN()) {
                    continue;
                }
                double[] acc = byLag.computeIfAbsent(j - i, k -> new double[2]);
                acc[0] += r;
                acc[1] += 1;
                sum += r;
                n++;
            }
        }
        Map<String, Double> curve = new LinkedHashMap<>();
        Integer drop = null;
        for (Map.Entry<Integer, double[]> e : byLag.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            curve.put(String.valueOf(e.getKey()), mean);
            if (drop == null && mean < threshold) {
                drop = e.getKey();
            }
        }
        return new TcSummary(cut, evalSet, bnMode, new ArrayList<>(steps), curve, n == 0 ? Double.NaN : sum / n,
                drop, threshold);
    }
}
