package io.splicelab.splicer;

import io.splicelab.splicer.splicing.EvalBatchSize;
import io.splicelab.splicer.splicing.RunGrid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The splicer's settings ({@code splicelab.splicer.*}), read once and checked at start-up, so that a bad one
 * stops the service before any checkpoint is accepted rather than failing every checkpoint later. One object
 * instead of a dozen configuration fields in each class that needs some of them.
 */
@ApplicationScoped
public class SplicerSettings {
    private final List<String> cuts;
    private final String batchSize;
    private final int maxRuns;
    private final List<String> evalSets;
    private final List<String> bnModes;
    private final int recalibrationSize;
    private final long memoryBudgetBytes;
    private final Path spillDir;
    private final String precision;
    private final double tcThreshold;
    private final String device;
    private final int onnxThreads;
    private final String cifar10cDir;
    private final long gpuMemoryMb;
    private final long progressIntervalMs;

    /** The settings of the tests: a fixed batch size, the default CIFAR-10-C search, GPU memory and interval. */
    public SplicerSettings(List<String> cuts, int batchSize, int maxRuns, List<String> evalSets, List<String> bnModes,
            int recalibrationSize, long memoryBudgetMb, String spillDir, String precision, double tcThreshold,
            String device, int onnxThreads) {
        this(cuts, String.valueOf(batchSize), maxRuns, evalSets, bnModes, recalibrationSize, memoryBudgetMb, spillDir,
                precision, tcThreshold, device, onnxThreads, Optional.empty(), 4096, 2000);
    }

    /**
     * @param batchSize {@code auto} or a number of images per forward pass ({@link EvalBatchSize})
     * @param memoryBudgetMb one budget for a grid's evaluation: its forward batches and its in-memory features
     *     (the rest spills)
     * @param cifar10cDir where the official CIFAR-10-C files are looked for first (then {@code CIFAR-10-C/} in
     *     the data roots)
     * @param gpuMemoryMb the memory an {@code auto} batch may plan with on a GPU (the engine does not report free
     *     device memory)
     * @param progressIntervalMs at most one progress event per this many milliseconds while a checkpoint is
     *     evaluated (plus one at its end)
     */
    @Inject
    public SplicerSettings(
            @ConfigProperty(name = "splicelab.splicer.cuts", defaultValue = "stem,stage1,stage2") List<String> cuts,
            @ConfigProperty(name = "splicelab.splicer.batch-size", defaultValue = "auto") String batchSize,
            @ConfigProperty(name = "splicelab.splicer.max-active-runs", defaultValue = "2") int maxRuns,
            @ConfigProperty(name = "splicelab.splicer.eval-sets", defaultValue = "test") List<String> evalSets,
            @ConfigProperty(name = "splicelab.splicer.bn-modes", defaultValue = "carry") List<String> bnModes,
            @ConfigProperty(name = "splicelab.splicer.recalibration-size", defaultValue = "200") int recalibrationSize,
            @ConfigProperty(name = "splicelab.splicer.memory-budget-mb", defaultValue = "512") long memoryBudgetMb,
            @ConfigProperty(name = "splicelab.splicer.spill-dir", defaultValue = "/tmp/splicelab-splicer") String spillDir,
            @ConfigProperty(name = "splicelab.splicer.precision", defaultValue = "float32") String precision,
            @ConfigProperty(name = "splicelab.splicer.tc-threshold", defaultValue = "0.9") double tcThreshold,
            @ConfigProperty(name = "splicelab.splicer.device", defaultValue = "auto") String device,
            @ConfigProperty(name = "splicelab.splicer.onnx-threads", defaultValue = "0") int onnxThreads,
            @ConfigProperty(name = "splicelab.splicer.cifar10c-dir") Optional<String> cifar10cDir,
            @ConfigProperty(name = "splicelab.splicer.gpu-memory-mb", defaultValue = "4096") long gpuMemoryMb,
            @ConfigProperty(name = "splicelab.splicer.progress-interval-ms", defaultValue = "2000")
            long progressIntervalMs) {
        if (memoryBudgetMb < 1) {
            throw new IllegalArgumentException("splicelab.splicer.memory-budget-mb must be at least 1");
        }
        this.onnxThreads = onnxThreads;
        this.evalSets = List.copyOf(evalSets);
        this.bnModes = List.copyOf(bnModes);
        this.recalibrationSize = recalibrationSize;
        this.memoryBudgetBytes = memoryBudgetMb * 1024 * 1024;
        this.spillDir = Path.of(spillDir);
        this.precision = RunGrid.requirePrecision(precision);
        this.tcThreshold = tcThreshold;
        this.device = device;
        this.cuts = List.copyOf(cuts);
        EvalBatchSize.resolve(batchSize, 0, 0, false); // a bad setting fails at start-up
        this.batchSize = batchSize;
        this.maxRuns = maxRuns;
        this.cifar10cDir = cifar10cDir.orElse(null);
        this.gpuMemoryMb = gpuMemoryMb;
        this.progressIntervalMs = progressIntervalMs;
    }

    /** The configured cuts (a small network's grid has its own, {@link GridFactory#cutsFor}). */
    public List<String> cuts() {
        return cuts;
    }

    /** {@code auto} or a number of images per forward pass ({@link EvalBatchSize}). */
    public String batchSize() {
        return batchSize;
    }

    /** How many runs' grids are kept in memory ({@code max-active-runs}). */
    public int maxRuns() {
        return maxRuns;
    }

    public List<String> evalSets() {
        return evalSets;
    }

    public List<String> bnModes() {
        return bnModes;
    }

    public int recalibrationSize() {
        return recalibrationSize;
    }

    public long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    public Path spillDir() {
        return spillDir;
    }

    public String precision() {
        return precision;
    }

    public double tcThreshold() {
        return tcThreshold;
    }

    /** {@code auto}, {@code cpu} or {@code gpu} ({@link DevicePlan#device}). */
    public String device() {
        return device;
    }

    public int onnxThreads() {
        return onnxThreads;
    }

    /** The configured CIFAR-10-C directory, or null. */
    public String cifar10cDir() {
        return cifar10cDir;
    }

    public long gpuMemoryBytes() {
        return gpuMemoryMb * 1024 * 1024;
    }

    public long progressIntervalMs() {
        return progressIntervalMs;
    }
}
