package io.splicelab.gateway.experiments;

import java.util.Collection;
import java.util.Objects;

/**
 * A quantity measured once per seed, summarised: how many seeds, the mean, the sample standard deviation and the
 * standard error of the mean (null with one seed: one seed says nothing about the spread).
 */
public record Stat(int n, double mean, Double sd, Double se) {

    /** The summary of the values (nulls and NaNs skipped); null when none is left. */
    public static Stat of(Collection<Double> values) {
        double[] v = values.stream().filter(Objects::nonNull).filter(x -> !x.isNaN()).mapToDouble(Double::doubleValue)
                .toArray();
        if (v.length == 0) {
            return null;
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        if (v.length == 1) {
            return new Stat(1, mean, null, null);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (v.length - 1));
        return new Stat(v.length, mean, sd, sd / Math.sqrt(v.length));
    }
}
