package io.splicelab.gateway.experiments;

import io.splicelab.gateway.experiments.ExperimentViews.CurvePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An experiment's curves over training steps, per variant the mean and spread over its seeds at each step, so the
 * page can draw "baseline vs frozen" as two bands instead of six wiggly lines. Test and corrupted accuracy come from
 * each checkpoint's diagonal hybrid cell (the network itself), loss and training-batch accuracy from the trainer's
 * progress points. Seeds are matched by exact step (the runs of a variant share their schedule); where a seed has no
 * value at a step the others' still count, and {@code n} says how many did. Pure: the read model's rows in, numbers
 * out.
 */
public final class ExperimentCurves {
    /** Accuracy on the test subset at each checkpoint. */
    public static final String TEST_ACCURACY = "testAccuracy";
    /** Accuracy averaged over the corrupted evaluation sets at each checkpoint. */
    public static final String CORRUPTED_ACCURACY = "corruptedAccuracy";
    /** The training loss at each progress point. */
    public static final String LOSS = "loss";
    /** The accuracy on the latest training minibatch at each progress point. */
    public static final String TRAIN_BATCH_ACCURACY = "trainBatchAccuracy";
    /** Every metric, in the order the views list them. */
    public static final List<String> METRICS = List.of(TEST_ACCURACY, CORRUPTED_ACCURACY, LOSS, TRAIN_BATCH_ACCURACY);

    private ExperimentCurves() {
    }

    /** A diagonal cell of a run's hybrid grid: a checkpoint's accuracy on a set, at a cut, in a BatchNorm mode. */
    public record DiagonalCell(String cut, String evalSet, String bnMode, int step, Double accuracy) {
    }

    /** A training-progress point of a run. */
    public record ProgressPoint(int step, double loss, double trainBatchAccuracy) {
    }

    /** One run's curves: by metric, its value at each step. */
    public record RunCurves(Map<String, Map<Integer, Double>> byMetric) {
    }

    /**
     * A run's curves from its diagonal cells (mode {@link RunMeasures#BN_MODE} when it has it, else the first mode by
     * name, as {@link RunMeasures} reads them; several cuts of a step are averaged) and its progress points.
     */
    public static RunCurves ofRun(List<DiagonalCell> cells, List<ProgressPoint> progress) {
        String mode = cells.stream().anyMatch(c -> RunMeasures.BN_MODE.equals(c.bnMode())) ? RunMeasures.BN_MODE
                : cells.stream().map(DiagonalCell::bnMode).sorted().findFirst().orElse(RunMeasures.BN_MODE);
        // evalSet -> step -> {sum, count} over cuts
        Map<String, Map<Integer, double[]>> bySet = new TreeMap<>();
        for (DiagonalCell c : cells) {
            if (!mode.equals(c.bnMode()) || c.accuracy() == null || c.accuracy().isNaN()) {
                continue;
            }
            double[] s = bySet.computeIfAbsent(c.evalSet(), k -> new TreeMap<>()).computeIfAbsent(c.step(),
                    k -> new double[2]);
            s[0] += c.accuracy();
            s[1]++;
        }
        Map<Integer, Double> test = new TreeMap<>();
        bySet.getOrDefault("test", Map.of()).forEach((step, s) -> test.put(step, s[0] / s[1]));
        Map<Integer, double[]> corruptedSums = new TreeMap<>();
        bySet.forEach((set, bySteps) -> {
            if (RunMeasures.isCorrupted(set)) {
                bySteps.forEach((step, s) -> {
                    double[] t = corruptedSums.computeIfAbsent(step, k -> new double[2]);
                    t[0] += s[0] / s[1];
                    t[1]++;
                });
            }
        });
        Map<Integer, Double> corrupted = new TreeMap<>();
        corruptedSums.forEach((step, s) -> corrupted.put(step, s[0] / s[1]));
        Map<Integer, Double> loss = new TreeMap<>();
        Map<Integer, Double> batch = new TreeMap<>();
        for (ProgressPoint p : progress) {
            loss.put(p.step(), p.loss());
            batch.put(p.step(), p.trainBatchAccuracy());
        }
        Map<String, Map<Integer, Double>> out = new LinkedHashMap<>();
        out.put(TEST_ACCURACY, test);
        out.put(CORRUPTED_ACCURACY, corrupted);
        out.put(LOSS, loss);
        out.put(TRAIN_BATCH_ACCURACY, batch);
        return new RunCurves(out);
    }

    /** A variant's curves over its runs (seeds): per metric of {@link #METRICS}, one point per step, in step order. */
    public static Map<String, List<CurvePoint>> variant(List<RunCurves> runs) {
        Map<String, List<CurvePoint>> out = new LinkedHashMap<>();
        for (String metric : METRICS) {
            out.put(metric, band(runs.stream().map(r -> r.byMetric().getOrDefault(metric, Map.of())).toList()));
        }
        return out;
    }

    /**
     * The pointwise summary of several seeds' series: at every step some seed has a finite value at, the {@link Stat}
     * of the seeds' values there (sd and se null with one seed).
     */
    public static List<CurvePoint> band(List<Map<Integer, Double>> seeds) {
        TreeSet<Integer> steps = new TreeSet<>();
        seeds.forEach(s -> steps.addAll(s.keySet()));
        List<CurvePoint> out = new ArrayList<>();
        for (int step : steps) {
            List<Double> values = new ArrayList<>();
            seeds.forEach(s -> values.add(s.get(step)));
            Stat stat = Stat.of(values);
            if (stat != null) {
                out.add(new CurvePoint(step, stat.n(), stat.mean(), stat.sd(), stat.se()));
            }
        }
        return out;
    }
}
