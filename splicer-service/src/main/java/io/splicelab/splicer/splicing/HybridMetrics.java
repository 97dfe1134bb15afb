package io.splicelab.splicer.splicing;

import io.splicelab.model.net.Inference;
import io.splicelab.model.values.Metric;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of docs/science.md section 2: accuracy, agreement with the deep donor, agreement with the
 * shallow donor, mean cross-entropy, mean KL(f(theta_b) || H), accuracy relative to the deep donor's own;
 * and the two controls next to each cell, the relative parameter distance of the shallow parts and the
 * relative feature distance at the cut. The names are the contract's {@link Metric}s (the keys of a cell's
 * metrics map); the constants here are their wire names, for the maps this class fills.
 */
public final class HybridMetrics {
    public static final String ACCURACY = Metric.ACCURACY.wire();
    public static final String AGREEMENT_DEEP = Metric.AGREEMENT_DEEP.wire();
    public static final String AGREEMENT_SHALLOW = Metric.AGREEMENT_SHALLOW.wire();
    public static final String CROSS_ENTROPY = Metric.CROSS_ENTROPY.wire();
    /** Mean KL(f(theta_b) || H): the deep donor's predictive distribution against the hybrid's. */
    public static final String KL_DEEP = Metric.KL_DEEP.wire();
    public static final String RELATIVE_ACCURACY = Metric.RELATIVE_ACCURACY.wire();
    /** ||theta_a - theta_b|| / ||theta_b|| over the trainable parameters of the shallow parts. */
    public static final String PARAM_DISTANCE = Metric.RELATIVE_PARAM_DISTANCE.wire();
    /** ||z_a - z_b|| / ||z_b|| of the activations at the cut over the evaluation set. */
    public static final String FEATURE_DISTANCE = Metric.RELATIVE_FEATURE_DISTANCE.wire();

    private HybridMetrics() {
    }

    /** The prediction metrics from predicted classes only (no cross-entropy or KL). */
    public static Map<String, Double> of(int[] hybrid, int[] labels, int[] deepDonor, int[] shallowDonor) {
        double accuracy = fractionEqual(hybrid, labels);
        double deepAccuracy = fractionEqual(deepDonor, labels);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ACCURACY, accuracy);
        m.put(AGREEMENT_DEEP, fractionEqual(hybrid, deepDonor));
        m.put(AGREEMENT_SHALLOW, fractionEqual(hybrid, shallowDonor));
        if (deepAccuracy > 0) {
            m.put(RELATIVE_ACCURACY, accuracy / deepAccuracy);
        }
        return m;
    }

    /**
     * Every prediction metric from the hybrid's logits, the labels, the deep donor's logits and the
     * shallow donor's predicted classes.
     */
    public static Map<String, Double> of(float[][] hybridLogits, int[] labels, float[][] deepLogits,
            int[] shallowDonor) {
        return of(hybridLogits, Inference.argmax(hybridLogits), labels, deepLogits, shallowDonor);
    }

    /**
     * Every prediction metric, as {@link #of(float[][], int[], float[][], int[])}, with the hybrid's predicted
     * classes already taken from its logits (the grid's per-image predictions: the accuracy counts exactly them).
     */
    public static Map<String, Double> of(float[][] hybridLogits, int[] hybrid, int[] labels, float[][] deepLogits,
            int[] shallowDonor) {
        int[] deep = Inference.argmax(deepLogits);
        double accuracy = fractionEqual(hybrid, labels);
        double deepAccuracy = fractionEqual(deep, labels);
        double ce = 0;
        double kl = 0;
        for (int i = 0; i < labels.length; i++) {
            double[] logH = logSoftmax(hybridLogits[i]);
            double[] logD = logSoftmax(deepLogits[i]);
            ce -= logH[labels[i]];
            double k = 0;
            for (int c = 0; c < logH.length; c++) {
                k += Math.exp(logD[c]) * (logD[c] - logH[c]);
            }
            kl += k;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ACCURACY, accuracy);
        m.put(AGREEMENT_DEEP, fractionEqual(hybrid, deep));
        m.put(AGREEMENT_SHALLOW, fractionEqual(hybrid, shallowDonor));
        m.put(CROSS_ENTROPY, ce / labels.length);
        m.put(KL_DEEP, kl / labels.length);
        if (deepAccuracy > 0) {
            m.put(RELATIVE_ACCURACY, accuracy / deepAccuracy);
        }
        return m;
    }

    /** log softmax of one row, in double precision. */
    public static double[] logSoftmax(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[row.length];
        for (int c = 0; c < row.length; c++) {
            out[c] = row[c] - log;
        }
        return out;
    }

    /** ||a - b|| / ||b|| of two equally long vectors (parameters of the shallow parts). */
    public static double relativeDistance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different length: " + a.length + " vs " + b.length);
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            diff += d * d;
            norm += (double) b[i] * b[i];
        }
        return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
    }

    public static double fractionEqual(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("need two equally long, non-empty label arrays");
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / a.length;
    }
}
