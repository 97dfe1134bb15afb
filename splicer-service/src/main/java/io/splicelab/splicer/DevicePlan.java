package io.splicelab.splicer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.splicer.splicing.EvalBatchSize;
import io.splicelab.splicer.splicing.RunGrid;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a grid is evaluated and how the one memory budget is shared on that device: the images per forward
 * pass and the bytes of shallow features kept in memory (the rest spills to disk). Apart from the grids, because
 * both the run grids and the cross-run hybrids plan with it.
 */
final class DevicePlan {
    private final SplicerSettings settings;
    private final Map<NetworkSpec, Long> widestActivations = new ConcurrentHashMap<>();

    DevicePlan(SplicerSettings settings) {
        this.settings = settings;
        requirePrecisionThatPays(settings.precision(), device());
    }

    /**
     * Refuses float16 on a CPU at start-up, with the measured reason, instead of evaluating every grid twenty
     * times slower: libtorch has no fast float16 convolution on x86 CPUs ({@code ./bench/run splicer K N F16K}
     * measured float16 at 0.048x of float32 on AVX-512). float16 is for GPUs, where it is faster.
     */
    static void requirePrecisionThatPays(String precision, Device device) {
        if (RunGrid.FLOAT16.equals(precision) && !device.isGpu()) {
            throw new IllegalArgumentException("splicelab.splicer.precision=float16 is refused on a CPU: libtorch "
                    + "evaluates float16 convolutions on x86 CPUs about 20 times slower than float32 (0.048x, "
                    + "./bench/run splicer); use float32 on a CPU, float16 with a GPU (splicelab.splicer.device=gpu)");
        }
    }

    /**
     * Images per forward pass: the configured number, or for {@code auto} the fit of the network's widest
     * activation into the device's memory budget ({@link EvalBatchSize}).
     */
    int batchSize(NetworkSpec spec) {
        long widest = 0;
        if (spec != null && EvalBatchSize.AUTO.equalsIgnoreCase(settings.batchSize().trim())) {
            widest = widestActivation(spec);
        }
        Device d = device();
        return EvalBatchSize.resolve(settings.batchSize(), widest,
                d.isGpu() ? settings.gpuMemoryBytes() : settings.memoryBudgetBytes(), d.isGpu());
    }

    /**
     * The bytes of shallow features a grid keeps in memory: the memory budget less what its forward batches
     * use ({@link EvalBatchSize#bytesPerImage} per image on the grids' device; half the budget when the
     * network's activations are not known, as for an imported one). Features beyond it spill to disk.
     */
    long featureBudget(NetworkSpec spec, int batch) {
        long budget = settings.memoryBudgetBytes();
        long widest = spec == null ? 0 : widestActivation(spec);
        long working = widest == 0 ? budget / 2
                : Math.min(budget / 2, EvalBatchSize.bytesPerImage(widest, device().isGpu()) * batch);
        return Math.max(0, budget - working);
    }

    private long widestActivation(NetworkSpec spec) {
        return widestActivations.computeIfAbsent(spec, EvalBatchSize::widestActivation);
    }

    /** The device of the grids: {@code auto} (a GPU when there is one), {@code cpu} or {@code gpu}. */
    Device device() {
        return switch (settings.device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            case "auto" -> Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("splicelab.splicer.device must be auto, cpu or gpu");
        };
    }
}
