package io.splicelab.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.djl.HeapFill;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.ChannelsLast;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import io.splicelab.model.net.Networks;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Trains one run with DJL's PyTorch engine: SGD (momentum, Nesterov, weight decay) or Adam with a
 * learning-rate schedule, over a seeded data order with seeded augmentation and label noise, optionally
 * freezing the shallow part from a step; checkpoints (with optimizer state) at the configured steps
 * (step 0 is the initialisation), SGD noise samples at the configured checkpoints, progress reports in
 * between. One seed fixes initialisation, data order, augmentation, label noise and noise sampling;
 * every random choice of a step is a function of (seed, step), so a run resumed from a checkpoint
 * continues exactly as an uninterrupted one. Pure domain code: everything it produces goes to the
 * {@link TrainingListener}.
 *
 * <p>A step whose loss or gradient is not finite is never applied. Because a step is a function of
 * (state, seed, step), the loop then rolls back to the last checkpoint held in memory and replays: a
 * transient numerical fault of the CPU kernels (oneDNN's convolution backward reads channel padding nobody
 * wrote, docs/science.md section 8) costs a few replayed steps instead of the run, while true divergence,
 * which the replay reproduces at the same step, still fails the run with {@link TrainingDivergedException}.
 * The padding oneDNN reads is reused heap memory, and a faulty step frees NaN-filled buffers that the next
 * steps reuse, so from a run's first fault on the loop has the heap fill fresh memory ({@link HeapFill}):
 * the replay then reads finite padding, and the rest of the run cannot fault that way again.
 */
public final class TrainingLoop {
    private static final int EVAL_BATCH = 100;
    /** Rollbacks a run may take for faults that the replay does not reproduce (the tests' loop). */
    static final int MAX_RECOVERIES = 3;
    /**
     * Rollbacks a service's run may take. Faults came in clusters (a dozen within 20 steps on some machines):
     * each faulty step left NaN in freed memory for the next to read. The heap fill ends a cluster at its first
     * fault; the margin is for what the fill cannot reach (glibc's per-thread cache of chunks under 1 KiB).
     */
    public static final int SERVICE_MAX_RECOVERIES = 12;

    private final IntPredicate injectedFault;
    private final IntPredicate injectedNoiseFault;
    private final int maxRecoveries;
    private final boolean fillFromStart;

    /** The service's loop: the heap fill comes on at a run's first fault. */
    public TrainingLoop() {
        this(step -> false, n -> false, SERVICE_MAX_RECOVERIES, false);
    }

    /**
     * For tests: writes NaN into a gradient at the steps the predicate accepts, as a faulty kernel would. The
     * heap is filled from the first step, so that the CPU's own faults cannot add recoveries to those injected.
     */
    TrainingLoop(IntPredicate injectedFault) {
        this(injectedFault, n -> false, MAX_RECOVERIES, true);
    }

    /**
     * For tests: also writes NaN into a noise-sampling gradient whenever the second predicate accepts how many
     * minibatch gradients that checkpoint's sampling has computed, this one included (1, 2, ...); with
     * {@code fillFromStart} false the heap fill follows the service's policy (from the first fault on).
     */
    TrainingLoop(IntPredicate injectedFault, IntPredicate injectedNoiseFault, boolean fillFromStart) {
        this(injectedFault, injectedNoiseFault, MAX_RECOVERIES, fillFromStart);
    }

    private TrainingLoop(IntPredicate injectedFault, IntPredicate injectedNoiseFault, int maxRecoveries,
            boolean fillFromStart) {
        this.injectedFault = injectedFault;
        this.injectedNoiseFault = injectedNoiseFault;
        this.maxRecoveries = maxRecoveries;
        this.fillFromStart = fillFromStart;
    }

    /** The network spec a run trains. */
    public static NetworkSpec networkSpec(RunConfig config, ImageDataset train) {
        return new NetworkSpec(config.networkArchitecture(), config.widthMultiplier(), train.channels(),
                train.height(), train.width(), train.numClasses());
    }

    /** Trains a fresh run (kept for callers that have only the training split). */
    public int train(RunConfig config, ImageDataset train, TrainingListener listener) {
        return train(config, new TrainingData(train, null, null), listener, null);
    }

    /**
     * Trains the run to its last step, or until the listener says cancelled; returns the last step done.
     *
     * @param resume where to continue from, or null for a fresh run
     */
    public int train(RunConfig config, TrainingData data, TrainingListener listener, ResumePoint resume) {
        Device device = Devices.resolve(config.device());
        ImageDataset train = data.train();
        NetworkSpec spec = networkSpec(config, train);
        CutNetwork net = Networks.build(spec);
        Set<Integer> checkpointAt = new HashSet<>(config.checkpointSteps());
        Set<Integer> noiseAt = new HashSet<>(config.noiseSteps());
        int progressEvery = Math.max(1, Math.min(config.checkpointInterval(), config.steps() / 50));
        LearningRateSchedule schedule = new LearningRateSchedule(config);
        UpdateRule rule = UpdateRule.of(config);
        int[] labels = LabelNoise.apply(train.labels(), train.numClasses(), config.labelNoise(), config.seed());
        DataOrder order = new DataOrder(train.size(), config.batchSize(), config.seed());
        int freezeSegments = config.freezeCut() == null ? 0 : net.cutIndex(config.freezeCut());
        int freezeFrom = config.freezeStep() == null ? Integer.MAX_VALUE : config.freezeStep();
        int batchSize = Math.min(config.batchSize(), train.size());

        try (HeapGuard heap = new HeapGuard(fillFromStart); NDManager manager = NDManager.newBaseManager(device)) {
            ModelParameters params = initialise(config, net, spec, manager);
            List<Parameter> trainable = params.trainable();
            Set<Integer> frozenPositions = params.positionsOfSegments(freezeSegments);
            Step stepper = new Step(net, Loss.softmaxCrossEntropyLoss(), new Augmenter(config.augmentation()), train,
                    labels, freezeSegments);
            Snapshot last;
            if (resume == null) {
                last = checkpoint(config, data, listener, heap, net, params, rule, manager, stepper, noiseAt, null, 0, 0,
                        Double.NaN, Double.NaN);
            } else {
                params.load(resume.parameters());
                rule.load(resume.optimizerState(), manager);
                last = new Snapshot(resume.step(), resume.nextIndex(), resume.parameters(), resume.optimizerState(),
                        noiseAt.isEmpty() ? null : params.flatValues());
            }
            int index = last.nextIndex();
            int reported = last.step();
            FaultGuard guard = new FaultGuard(maxRecoveries);
            Means window = new Means();
            Means sinceCheckpoint = new Means();
            for (int step = last.step() + 1; step <= config.steps(); step++) {
                if (listener.cancelled()) {
                    return step - 1;
                }
                boolean frozen = freezeSegments > 0 && step > freezeFrom;
                float rate = (float) schedule.rate(step);
                try (NDManager batch = manager.newSubManager()) {
                    SplittableRandom rnd = new SplittableRandom(Seeds.mix(config.seed(), 0xA0_0000_0000L + step));
                    Result r = stepper.forwardBackward(batch, order.batch(step), rnd, frozen);
                    if (injectedFault.test(step)) {
                        poison(trainable.get(0)); // what a faulty kernel leaves in a gradient
                    }
                    boolean lossFault = !Float.isFinite(r.loss);
                    float fault = lossFault ? r.loss : gradientSum(batch, trainable);
                    if (!Float.isFinite(fault)) {
                        String what = (lossFault ? "the training loss" : "a gradient") + " is " + fault
                                + where(params.nonFiniteGradients());
                        guard.recordOrFail(step, last.step(), what);
                        if (heap.engage()) {
                            what += "; fresh heap memory is filled from now on";
                        }
                        listener.onRecovery(step, last.step(), what);
                        // loading replaces every parameter tensor, and with it its gradient (a fresh tensor has
                        // none until the next backward), so the poisoned gradients are dropped, not zeroed.
                        // Never overwrite a gradient with NDArray.set(float[]): on the CPU that makes the
                        // gradient tensor borrow a Java direct buffer that is freed after the call (see
                        // docs/science.md, "Non-finite steps"), and later steps accumulate into freed memory.
                        params.load(last.parameters());
                        rule.load(last.optimizerState(), manager);
                        index = last.nextIndex();
                        step = last.step(); // the loop's increment replays from the step after the snapshot
                        window.reset();
                        sinceCheckpoint.reset();
                        continue;
                    }
                    applyUpdate(rule, trainable, frozen ? frozenPositions : Set.of(), rate);
                    window.add(r.loss, r.hits, batchSize);
                    sinceCheckpoint.add(r.loss, r.hits, batchSize);
                }
                if ((step % progressEvery == 0 || step == config.steps()) && step > reported) {
                    reported = step;
                    listener.onProgress(step, config.steps(), window.loss(), window.accuracy(), rate,
                            window.imagesPerSecond());
                    window.reset();
                }
                if (checkpointAt.contains(step)) {
                    last = checkpoint(config, data, listener, heap, net, params, rule, manager, stepper, noiseAt,
                            last.flatValues(), step, index++, sinceCheckpoint.loss(), sinceCheckpoint.accuracy());
                    sinceCheckpoint.reset();
                    window.restartClock();
                }
            }
            return config.steps();
        }
    }

    /**
     * A run's claim on the heap fill ({@link HeapFill}): taken at the run's first fault (or at its start) and
     * returned when the run ends, so that one faulty run does not slow the runs after it.
     */
    static final class HeapGuard implements AutoCloseable {
        private HeapFill.Lease lease;

        HeapGuard(boolean fromStart) {
            if (fromStart) {
                lease = HeapFill.fill();
            }
        }

        /** Turns the fill on for the rest of the run; true the first time. */
        boolean engage() {
            if (lease != null) {
                return false;
            }
            lease = HeapFill.fill();
            return true;
        }

        @Override
        public void close() {
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** Builds the network's parameters with the run's seeded initialisation, gradients attached. */
    private static ModelParameters initialise(RunConfig config, CutNetwork net, NetworkSpec spec, NDManager manager) {
        Engine.getInstance().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
        net.block().setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        net.block().initialize(manager, DataType.FLOAT32, Checkpoints.inputShape(spec));
        ModelParameters params = new ModelParameters(net, manager);
        params.attachGradients();
        return params;
    }

    /**
     * One optimiser step over every trainable parameter but the frozen ones; every gradient is zeroed. Autograd is
     * off for the step: libtorch's recording mode is per thread and on by default, so on a thread other than the
     * one DJL's engine started on (the service's worker) an in-place update of a parameter (Nesterov's) was
     * refused as "a leaf Variable that requires grad is being used in an in-place operation". The mode is
     * restored afterwards, only around the update (turning it off for the whole run went with non-finite steps
     * in some test JVMs).
     */
    private static void applyUpdate(UpdateRule rule, List<Parameter> trainable, Set<Integer> frozenPositions,
            float rate) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            rule.beginStep();
            for (int i = 0; i < trainable.size(); i++) {
                NDArray weight = trainable.get(i).getArray();
                try (NDArray grad = weight.getGradient()) {
                    if (!frozenPositions.contains(i)) {
                        rule.update(i, weight, grad, rate);
                    }
                    grad.subi(grad);
                }
            }
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /**
     * How many faulty steps a run has recovered from: a fault the replay reproduces at the same step, or more
     * than the loop allows ({@link #SERVICE_MAX_RECOVERIES} in a service), is real divergence and fails the run.
     */
    private static final class FaultGuard {
        private final int maxRecoveries;
        private int recoveries;
        private int lastFaultStep = -1;

        FaultGuard(int maxRecoveries) {
            this.maxRecoveries = maxRecoveries;
        }

        void recordOrFail(int step, int snapshotStep, String what) {
            if (step == lastFaultStep || recoveries == maxRecoveries) {
                throw new TrainingDivergedException(what + " at step " + step
                        + (step == lastFaultStep ? " again after replaying from step " + snapshotStep
                                : " after " + recoveries + " recoveries")
                        + " (lower the learning rate)");
            }
            recoveries++;
            lastFaultStep = step;
        }
    }

    /** Mean loss and accuracy over the minibatches since the last reset, and the images per second. */
    private static final class Means {
        private double lossSum;
        private double correct;
        private long seen;
        private long clockStart = System.nanoTime();

        void add(float loss, float hits, int batchSize) {
            lossSum += loss * batchSize;
            correct += hits;
            seen += batchSize;
        }

        double loss() {
            return seen == 0 ? Double.NaN : lossSum / seen;
        }

        double accuracy() {
            return seen == 0 ? Double.NaN : correct / seen;
        }

        double imagesPerSecond() {
            return seen / Math.max((System.nanoTime() - clockStart) / 1e9, 1e-9);
        }

        void reset() {
            lossSum = 0;
            correct = 0;
            seen = 0;
            restartClock();
        }

        void restartClock() {
            clockStart = System.nanoTime();
        }
    }

    /** Which gradients were not finite: how many, the first and the last in network order. */
    static String where(List<String> names) {
        return switch (names.size()) {
            case 0 -> "";
            case 1 -> " (in " + names.get(0) + ")";
            default -> " (in " + names.size() + " parameters, first " + names.get(0) + ", last "
                    + names.get(names.size() - 1) + ")";
        };
    }

    /** Adds NaN to a parameter's gradient in place (its storage stays PyTorch's), as a faulty kernel would. */
    private static void poison(Parameter p) {
        try (NDArray g = p.getArray().getGradient()) {
            g.addi(Float.NaN);
        }
    }

    /**
     * The sum of every gradient: finite exactly when every gradient is, one device-to-host copy a step.
     * A fault is rare, so the check reads one scalar rather than every array.
     */
    private static float gradientSum(NDManager batch, List<Parameter> trainable) {
        NDArray total = batch.zeros(new Shape());
        for (Parameter p : trainable) {
            try (NDArray g = p.getArray().getGradient(); NDArray s = g.sum()) {
                total.addi(s);
            }
        }
        return total.getFloat();
    }

    /**
     * The last checkpoint, kept in memory so that a faulty step can be rolled back: its step, the index
     * of the next checkpoint, parameters, optimizer state and (with noise sampling on) flat values.
     */
    record Snapshot(int step, int nextIndex, byte[] parameters, byte[] optimizerState, float[] flatValues) {
    }

    /** Writes a checkpoint (after sampling noise when due); returns it as the new rollback point. */
    private Snapshot checkpoint(RunConfig config, TrainingData data, TrainingListener listener, HeapGuard heap,
            CutNetwork net,
            ModelParameters params, UpdateRule rule, NDManager manager, Step stepper, Set<Integer> noiseAt,
            float[] previous, int step, int index, double trainLoss, double trainAccuracy) {
        byte[] bytes = params.save();
        byte[] optimizerState = rule.save();
        float[] current = noiseAt.isEmpty() ? null : params.flatValues();
        if (noiseAt.contains(step)) {
            NoiseSample sample = new NoiseSampler(stepper, params, config, injectedNoiseFault).sample(manager, step, current, previous,
                    bytes, () -> {
                        if (heap.engage()) {
                            listener.onRecovery(step, step, "a noise-sampling gradient was not finite; the "
                                    + "minibatch is sampled again and fresh heap memory is filled from now on");
                        }
                    });
            params.load(bytes); // noise sampling ran BatchNorm in training mode: restore the exact checkpoint
            listener.onNoise(sample);
        }
        boolean last = step == config.steps();
        ImageDataset eval = last && data.test() != null ? data.test() : data.eval();
        double testAccuracy = Double.NaN;
        int testSamples = 0;
        if (eval != null) {
            testAccuracy = accuracy(Inference.logits(net, eval, EVAL_BATCH, manager), eval.labels());
            testSamples = eval.size();
        }
        double epoch = (double) step / RunConfig.stepsPerEpoch(data.train().size(), config.batchSize());
        listener.onCheckpoint(new CheckpointState(step, index, epoch, bytes, optimizerState, trainLoss,
                trainAccuracy, testAccuracy, testSamples));
        return new Snapshot(step, index + 1, bytes, optimizerState, current);
    }

    static double accuracy(float[][] logits, int[] labels) {
        int[] pred = Inference.argmax(logits);
        int hits = 0;
        for (int i = 0; i < pred.length; i++) {
            hits += pred[i] == labels[i] ? 1 : 0;
        }
        return pred.length == 0 ? Double.NaN : (double) hits / pred.length;
    }

    /** Loss and number of correct predictions of one minibatch. */
    record Result(float loss, float hits) {
    }

    /**
     * One forward and backward pass on a minibatch with augmentation, the frozen shallow part (when
     * frozen) run in inference mode so its BatchNorm statistics stay. Shared by training and noise
     * sampling so both see the same model.
     */
    record Step(CutNetwork net, Loss loss, Augmenter augmenter, ImageDataset train, int[] labels, int freezeSegments) {
        Result forwardBackward(NDManager batch, int[] idx, SplittableRandom rnd, boolean frozen) {
            NDArray x = ChannelsLast.images(batch, augmenter.batch(train, idx, rnd),
                    idx.length, train.channels(), train.height(), train.width());
            float[] y = new float[idx.length];
            for (int i = 0; i < idx.length; i++) {
                y[i] = labels[idx[i]];
            }
            NDArray target = batch.create(y);
            ParameterStore ps = new ParameterStore(batch, false);
            NDArray logits;
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                int all = net.segments().size();
                NDList out;
                if (frozen) {
                    NDList features = net.forward(ps, new NDList(x), 0, freezeSegments, false);
                    out = net.forward(ps, features, freezeSegments, all, true);
                } else {
                    out = net.forward(ps, new NDList(x), 0, all, true);
                }
                logits = out.singletonOrThrow();
                NDArray l = loss.evaluate(new NDList(target), new NDList(logits));
                gc.backward(l);
                value = l.getFloat();
            }
            float hits = logits.argMax(1).toType(DataType.FLOAT32, false).eq(target).toType(DataType.FLOAT32, false)
                    .sum().getFloat();
            return new Result(value, hits);
        }
    }
}
