package io.splicelab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.ChannelsLast;
import io.splicelab.trainer.training.CheckpointState;
import io.splicelab.trainer.training.TrainingData;
import io.splicelab.trainer.training.TrainingDivergedException;
import io.splicelab.trainer.training.TrainingListener;
import io.splicelab.trainer.training.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The non-finite step study (issue 12): how often the trainer's own training step ({@link TrainingLoop}, the
 * service's loop with its roll-back guard) meets a NaN or infinite loss or gradient, seed after seed, under
 * whatever CPU instruction set the environment allows ({@code DNNL_MAX_CPU_ISA}, {@code ATEN_CPU_CAPABILITY}).
 * Every roll-back is a non-finite step; its step and the first parameter whose gradient was not finite are
 * printed. The same network trained by PyTorch itself is {@code bench/python/nan_study.py}.
 *
 * <p>{@code probe} shows the defect the study found in how the trainer used DJL: overwriting a gradient with
 * {@code NDArray.set(float[])} makes PyTorch's gradient tensor borrow a Java direct buffer which is freed once
 * the temporary gradient handle is closed and collected; the next direct buffers of that size reuse the
 * memory, and the "gradient" then reads (and accumulates into) whatever they hold.
 *
 * <p>Usage: {@code ./bench/run nan-study [seeds] [steps] [width%] [dataset] [firstSeed] [format]} (defaults 30,
 * 100, 50 (ResNet-20 at width 0.5), fashion-mnist, 1, channels-last); {@code ./bench/run nan-study probe}; or
 * {@code ./bench/run nan-study kernel [reps] [in] [out] [javaInput] [dirty] [format]} (200, 1, 8, 1, 1,
 * channels-last): one convolution alone, its input over a Java direct buffer (1) or PyTorch's, NaN left in freed
 * memory (1) or not. {@code format} {@code contiguous} gives the network plain NCHW batches
 * ({@link ChannelsLast}), the layout in which oneDNN's backward reads unwritten channel padding.
 */
public final class NanStudyBench {

    public static void main(String[] args) throws Exception {
        DjlOffline.configure();
        if (args.length > 0 && "probe".equals(args[0])) {
            probe();
            return;
        }
        if (args.length > 0 && "kernel".equals(args[0])) {
            format(args, 6);
            kernel(BenchArgs.intArg(args, 1, 200), BenchArgs.intArg(args, 2, 1), BenchArgs.intArg(args, 3, 8),
                    BenchArgs.intArg(args, 4, 1) == 1, BenchArgs.intArg(args, 5, 1) == 1);
            return;
        }
        int seeds = BenchArgs.intArg(args, 0, 30);
        int steps = BenchArgs.intArg(args, 1, 100);
        int widthPercent = BenchArgs.intArg(args, 2, 50);
        String dataset = args.length > 3 ? BenchArgs.dataset(args[3]) : "fashion-mnist";
        int firstSeed = BenchArgs.intArg(args, 4, 1);
        format(args, 5);
        BenchReport report = new BenchReport("nan-study");
        report.line("# ATEN_CPU_CAPABILITY=" + System.getenv("ATEN_CPU_CAPABILITY") + ", engine "
                + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        report.line(String.format("ResNet-20 width %.2f, %s, batch 128, %d steps, seeds %d..%d, trainer defaults"
                + " (SGD lr 0.05, momentum 0.9, weight decay 5e-4, dataset's augmentation), batches %s",
                widthPercent / 100.0, dataset, steps, firstSeed, firstSeed + seeds - 1,
                ChannelsLast.enabled() ? "channels-last" : "contiguous (NCHW)"));
        ImageDataset train = Datasets.train(config(dataset, steps, widthPercent, firstSeed));
        int faultySeeds = 0;
        int faults = 0;
        int diverged = 0;
        long start = System.nanoTime();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            RunConfig config = config(dataset, steps, widthPercent, seed);
            List<String> seen = new ArrayList<>();
            double[] lastLoss = {Double.NaN};
            String outcome;
            long t0 = System.nanoTime();
            try {
                new TrainingLoop().train(config, new TrainingData(train, null, null), new TrainingListener() {
                    @Override
                    public void onProgress(int step, int total, double loss, double acc, double lr, double ips) {
                        lastLoss[0] = loss;
                    }

                    @Override
                    public void onCheckpoint(CheckpointState c) {
                    }

                    @Override
                    public void onRecovery(int faultStep, int resumedFrom, String reason) {
                        seen.add("step " + faultStep + ": " + reason);
                    }
                }, null);
                outcome = "finished";
            } catch (TrainingDivergedException e) {
                outcome = "diverged: " + e.getMessage();
                diverged++;
            }
            faults += seen.size();
            faultySeeds += seen.isEmpty() ? 0 : 1;
            report.line(String.format("seed %3d: %d non-finite steps, last loss %.4f, %.1f s, %s%s", seed,
                    seen.size(), lastLoss[0], (System.nanoTime() - t0) / 1e9, outcome,
                    seen.isEmpty() ? "" : " " + seen));
        }
        report.figure("seeds", seeds, "");
        report.figure("seeds with a non-finite step", faultySeeds, "");
        report.figure("non-finite steps (rolled back)", faults, "");
        report.figure("runs failed (diverged)", diverged, "");
        report.figure("steps trained", (double) seeds * steps, "");
        report.figure("wall time", (System.nanoTime() - start) / 1e9, "s");
        report.write();
    }

    /** The optional memory-format argument: {@code contiguous} reproduces what channels-last avoids. */
    private static void format(String[] args, int index) {
        if (args.length > index) {
            System.setProperty(ChannelsLast.PROPERTY, args[index]);
        }
    }

    static RunConfig config(String dataset, int steps, int widthPercent, long seed) throws Exception {
        return EventCodec.mapper().readValue("{\"dataset\":\"" + dataset + "\",\"steps\":" + steps
                + ",\"batchSize\":128,\"checkpointInterval\":" + steps + ",\"evalSize\":10,\"widthMultiplier\":"
                + (widthPercent / 100.0) + ",\"seed\":" + seed + "}", RunConfig.class).withDefaults();
    }

    /**
     * The old recovery's gradient overwrite, in isolation: a gradient set from a Java array, the handle closed,
     * a garbage collection, then direct buffers of the same size filled with NaN. Prints how many of the
     * trials leave a gradient that no longer reads 0 (it lives in a freed buffer that the NaN buffers reuse), next
     * to the same sequence with the gradient zeroed in place, where it stays PyTorch's.
     */
    static void probe() throws InterruptedException {
        BenchReport report = new BenchReport("nan-study-probe");
        int n = 16;
        for (boolean setFromJava : new boolean[] {true, false}) {
            int hits = 0;
            int trials = 20;
            for (int t = 0; t < trials; t++) {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray w = m.ones(new Shape(n));
                    w.setRequiresGradient(true);
                    backward(w);
                    try (NDArray g = w.getGradient()) {
                        if (setFromJava) {
                            g.set(new float[n]); // what TrainingLoop.fill did on every recovery
                        } else {
                            g.subi(g); // in place: the storage stays PyTorch's
                        }
                    }
                    for (int i = 0; i < 5; i++) {
                        System.gc();
                        Thread.sleep(20);
                    }
                    float[] nan = new float[n];
                    Arrays.fill(nan, Float.NaN);
                    List<NDArray> others = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        others.add(m.create(nan)); // a direct buffer of the same size, as the next batches make
                    }
                    // read only: a backward pass here would accumulate into freed memory and corrupt the
                    // C heap (glibc aborts with "corrupted double-linked list"), which is what a replay did
                    float[] after;
                    try (NDArray g = w.getGradient()) {
                        after = g.toFloatArray();
                    }
                    boolean bad = false;
                    for (float v : after) {
                        bad |= v != 0f;
                    }
                    hits += bad ? 1 : 0;
                    if (bad && t == 0) {
                        report.line("  example gradient (expected all 0.0): " + Arrays.toString(after));
                    }
                    others.forEach(NDArray::close);
                }
            }
            report.figure((setFromJava ? "gradient set from a Java array" : "gradient zeroed in place")
                    + ": wrong gradients", hits, "of " + trials + " trials");
        }
        report.write();
    }

    /**
     * The stem's convolution alone (3x3, padding 1, no bias, batch 128, 28x28, {@code in} to {@code out}
     * channels): forward, backward with a random upstream gradient, and a check of the weight and input
     * gradients. Counts the repetitions whose gradients are not finite.
     */
    static void kernel(int reps, int in, int out, boolean javaInput, boolean dirty) {
        BenchReport report = new BenchReport("nan-study-kernel");
        report.line("# ATEN_CPU_CAPABILITY=" + System.getenv("ATEN_CPU_CAPABILITY"));
        int badY = 0;
        int badW = 0;
        int badX = 0;
        int badValues = 0;
        Engine.getInstance().setRandomSeed(1);
        long start = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int r = 0; r < reps; r++) {
                if (dirty) {
                    // leave NaN in freed memory, as earlier steps leave values in the memory PyTorch's allocator
                    // hands out again: a kernel that reads memory nobody wrote now produces NaN
                    try (NDManager scratch = m.newSubManager()) {
                        for (int i = 0; i < 8; i++) {
                            scratch.full(new Shape(128, 16, 28, 28), Float.NaN);
                        }
                    }
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray x = ChannelsLast.images(step, step.randomNormal(new Shape(128, in, 28, 28))
                            .toFloatArray(), 128, in, 28, 28);
                    if (!javaInput) { // allocated by PyTorch (same memory format) instead of over a Java buffer
                        x = x.duplicate();
                    }
                    NDArray w = step.randomNormal(new Shape(out, in, 3, 3)).mul(0.3f);
                    NDArray up = ChannelsLast.images(step, step.randomNormal(new Shape(128, out, 28, 28))
                            .toFloatArray(), 128, out, 28, 28);
                    w.setRequiresGradient(true);
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(1, 1),
                                new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
                        int f = 0;
                        for (float v : y.toFloatArray()) {
                            f += Float.isFinite(v) ? 0 : 1;
                        }
                        badY += f > 0 ? 1 : 0;
                        gc.backward(y.mul(up).sum());
                    }
                    float[] g = w.getGradient().toFloatArray();
                    int n = 0;
                    for (float v : g) {
                        n += Float.isFinite(v) ? 0 : 1;
                    }
                    badW += n > 0 ? 1 : 0;
                    int k = 0;
                    for (float v : x.getGradient().toFloatArray()) {
                        k += Float.isFinite(v) ? 0 : 1;
                    }
                    badX += k > 0 ? 1 : 0;
                    badValues += n + k;
                }
            }
        }
        report.line(String.format("conv 3x3 pad 1, mb128 ic%d oc%d 28x28, %d repetitions, %s, input %s, %s", in,
                out, reps, ChannelsLast.enabled() ? "channels-last" : "contiguous (NCHW)",
                javaInput ? "over a Java direct buffer" : "allocated by PyTorch",
                dirty ? "NaN left in freed memory before each" : "no NaN left in freed memory"));
        report.figure("repetitions with a non-finite output (forward)", badY, "of " + reps);
        report.figure("repetitions with a non-finite weight gradient", badW, "of " + reps);
        report.figure("repetitions with a non-finite input gradient", badX, "of " + reps);
        report.figure("non-finite gradient values", badValues, "");
        report.figure("wall", (System.nanoTime() - start) / 1e9, "s");
        report.write();
    }

    private static void backward(NDArray w) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector(); NDArray l = w.mul(2).sum()) {
            gc.backward(l);
        }
    }
}
