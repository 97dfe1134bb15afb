package io.splicelab.splicer.splicing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Networks;

/**
 * The number of images per forward pass of the splicer ({@code splicelab.splicer.batch-size}): a number,
 * or {@code auto} (the default), chosen to fit memory:
 *
 * <pre>
 *   bytes per image = widest activation (floats per image, over the input and every segment's output)
 *                     x 4 bytes x live copies
 *   batch = floor(budget x {@value #USABLE} / bytes per image), rounded down to a multiple of 8 (when
 *           at least 8), between {@value #MIN} and the device's maximum
 * </pre>
 *
 * <b>On a GPU</b>: {@value #GPU_LIVE_COPIES} live copies (a segment's input, its output, and the temporaries of a
 * residual block: branch, shortcut, BatchNorm output), at most {@value #GPU_MAX} images; the budget is the
 * configured {@code splicelab.splicer.gpu-memory-mb} (the engine does not report free device memory).
 *
 * <p><b>On the CPU</b>: {@value #CPU_LIVE_COPIES} live copies, at most {@value #CPU_MAX} images; the budget is the
 * memory budget {@code splicelab.splicer.memory-budget-mb} (the activations live in the engine's memory, off the
 * heap; the feature cache gets what the batch leaves). Four copies badly underestimate the CPU: measured on
 * Fashion-MNIST ResNet-20 (widest activation 16 x 28 x 28 floats, 49 KiB) at evalSize 10000 with the default
 * 512 MiB budget, the old {@code auto} batch of 1024 made the splicer's RSS peak at 3.47 GB, a batch of 128 at
 * 1.6 GB (heap 236 MB, direct buffers 20 MB): about 2.1 MB per image, some 42 copies of the widest activation
 * (DJL/libtorch temporaries and oneDNN convolution workspaces, outside the heap and the direct-buffer count).
 * With 42 copies that network gets 120 images on the default budget, so the process stays within its heap plus
 * the memory budget plus ~0.5 GB; beyond {@value #CPU_MAX} images a CPU batch gains no throughput.
 *
 * <p>Half the budget is used. {@link #budgetBytes} is the older CPU budget, the JVM's free heap, for callers
 * without a configured budget.
 */
public final class EvalBatchSize {
    public static final String AUTO = "auto";
    /** Copies of the widest activation alive at once per image on a GPU. */
    public static final int GPU_LIVE_COPIES = 4;
    /** Copies of the widest activation per image on the CPU, measured (see the class comment). */
    public static final int CPU_LIVE_COPIES = 42;
    /** The fraction of the budget a batch may use. */
    public static final double USABLE = 0.5;
    public static final int MIN = 1;
    /** Above this many images a GPU batch gains nothing. */
    public static final int GPU_MAX = 1024;
    /** Above this many images a CPU batch gains nothing but memory. */
    public static final int CPU_MAX = 128;
    /** The batch size of {@code auto} when the network's activations are not known (imported networks). */
    public static final int FALLBACK = 100;

    private EvalBatchSize() {
    }

    /**
     * The batch size of a setting: a positive number as it is, {@code auto} from the activations and the
     * budget of the device.
     *
     * @param widestFloats floats per image of the widest activation, or 0 when unknown
     * @param gpu whether the batch runs on a GPU
     */
    public static int resolve(String setting, long widestFloats, long budgetBytes, boolean gpu) {
        String s = setting == null ? AUTO : setting.trim();
        if (AUTO.equalsIgnoreCase(s)) {
            return widestFloats <= 0 ? FALLBACK : auto(widestFloats, budgetBytes, gpu);
        }
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("splicelab.splicer.batch-size must be auto or a positive number, was "
                    + setting);
        }
        if (n < 1) {
            throw new IllegalArgumentException("splicelab.splicer.batch-size must be auto or a positive number, was "
                    + setting);
        }
        return n;
    }

    /** The arithmetic of {@code auto}. */
    public static int auto(long widestFloats, long budgetBytes, boolean gpu) {
        long fit = (long) Math.floor(Math.max(0, budgetBytes) * USABLE / bytesPerImage(widestFloats, gpu));
        if (fit >= 8) {
            fit -= fit % 8;
        }
        return (int) Math.max(MIN, Math.min(gpu ? GPU_MAX : CPU_MAX, fit));
    }

    /** The engine memory one image of a forward batch is planned to take on the device. */
    public static long bytesPerImage(long widestFloats, boolean gpu) {
        return widestFloats * Float.BYTES * (gpu ? GPU_LIVE_COPIES : CPU_LIVE_COPIES);
    }

    /** The memory budget of a device: free heap on the CPU, the configured amount on a GPU. */
    public static long budgetBytes(Device device, long gpuBudgetBytes) {
        if (device != null && device.isGpu()) {
            return gpuBudgetBytes;
        }
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Floats per image of the widest activation of a network: the input and every segment's output, from
     * one forward pass of a single zero image through a freshly initialised copy on the CPU.
     */
    public static long widestActivation(NetworkSpec spec) {
        CutNetwork net = Networks.build(spec);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            net.block().initialize(manager, DataType.FLOAT32, Checkpoints.inputShape(spec));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.zeros(new Shape(1, spec.channels(), spec.height(), spec.width()));
            long widest = x.size();
            NDList current = new NDList(x);
            for (int i = 0; i < net.segments().size(); i++) {
                current = net.forward(ps, current, i, i + 1, false);
                widest = Math.max(widest, current.singletonOrThrow().size());
            }
            return widest;
        }
    }
}
