package io.splicelab.splicer.splicing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of SCIENCE.md section 2 computed from predicted classes: accuracy, agreement with the
 * deep donor, agreement with the shallow donor, and accuracy relative to the deep donor's own.
 */
public final class HybridMetrics {
    public static final String ACCURACY = "accuracy";
    public static final String AGREEMENT_DEEP = "agreementDeep";
    public static final String AGREEMENT_SHALLOW = "agreementShallow";
    public static final String RELATIVE_ACCURACY = "relativeAccuracy";

    private HybridMetrics() {
    }

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
