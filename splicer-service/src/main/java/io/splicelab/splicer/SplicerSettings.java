package io.splicelab.splicer;

import io.splicelab.splicer.splicing.EvalBatchSize;
import io.splicelab.splicer.splicing.OnnxSessionPlan;
import io.splicelab.splicer.splicing.RunGrid;
import java.nio.file.Path;
import java.util.List;

/**
 * The splicer's settings ({@code splicelab.splicer.*}, read by {@link SplicerConfiguration}), checked when they
 * are made, so that a bad one stops the service at start-up rather than failing every checkpoint later. One value
 * instead of a dozen configuration fields in each class that needs some of them.
 *
 * @param cuts the cuts of runs and imports whose events have none (events from before the per-run plan; a small
 *     network's grid has its own, {@link GridFactory#cutsFor}); a run's configuration names its own cuts
 * @param evalSets the evaluation sets of events without a plan (a run's configuration names its own)
 * @param bnModes the BatchNorm modes of events without a plan
 * @param batchSize {@code auto} or a number of images per forward pass ({@link EvalBatchSize})
 * @param maxRuns how many runs' grids are kept in memory ({@code max-active-runs})
 * @param memoryBudgetBytes one budget for a grid's evaluation: its forward batches and its in-memory features
 *     (the rest spills to {@code spillDir})
 * @param onnx how ONNX Runtime runs imported checkpoints ({@code onnx-threads}, {@code onnx-optimization})
 * @param device {@code auto}, {@code cpu} or {@code gpu} ({@link DevicePlan#device})
 * @param cifar10cDir where the official CIFAR-10-C files are looked for first (then {@code CIFAR-10-C/} in the
 *     data roots); null: only there
 * @param gpuMemoryBytes the memory an {@code auto} batch may plan with on a GPU (the engine does not report free
 *     device memory)
 * @param progressIntervalMs at most one progress event per this many milliseconds while a checkpoint is evaluated
 *     (plus one at its end)
 */
public record SplicerSettings(List<String> cuts, String batchSize, int maxRuns, List<String> evalSets,
        List<String> bnModes, int recalibrationSize, long memoryBudgetBytes, Path spillDir, String precision,
        double tcThreshold, String device, OnnxSessionPlan onnx, String cifar10cDir, long gpuMemoryBytes,
        long progressIntervalMs) {
    static final long MB = 1024 * 1024;

    public SplicerSettings {
        if (memoryBudgetBytes < MB) {
            throw new IllegalArgumentException("splicelab.splicer.memory-budget-mb must be at least 1");
        }
        cuts = List.copyOf(cuts);
        evalSets = List.copyOf(evalSets);
        bnModes = List.copyOf(bnModes);
        RunGrid.requirePrecision(precision);
        EvalBatchSize.resolve(batchSize, 0, 0, false); // a bad setting fails at start-up
    }

    /** The settings of the tests: a fixed batch size, the defaults for CIFAR-10-C, GPU memory and interval. */
    public static SplicerSettings of(List<String> cuts, int batchSize, int maxRuns, List<String> evalSets,
            List<String> bnModes, int recalibrationSize, long memoryBudgetMb, String spillDir, String precision,
            double tcThreshold, String device, int onnxThreads) {
        return new SplicerSettings(cuts, String.valueOf(batchSize), maxRuns, evalSets, bnModes, recalibrationSize,
                memoryBudgetMb * MB, Path.of(spillDir), precision, tcThreshold, device,
                new OnnxSessionPlan(onnxThreads, "all"), null, 4096 * MB,
                2000);
    }
}
