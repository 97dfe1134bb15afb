package io.splicelab.trainer.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Networks;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains one run with DJL's PyTorch engine: minibatch SGD with momentum and weight decay over a seeded
 * data order, checkpoints at the configured steps (step 0 is the initialisation), progress reports in
 * between. One seed fixes initialisation and data order. Pure domain code: everything it produces
 * goes to the {@link TrainingListener}.
 */
public final class TrainingLoop {
    /** Weight decay of the CIFAR ResNet recipe. */
    public static final float WEIGHT_DECAY = 5e-4f;

    /** The network spec a run trains. */
    public static NetworkSpec networkSpec(RunConfig config, ImageDataset train) {
        return new NetworkSpec(config.architecture(), config.widthMultiplier(), train.channels(), train.height(),
                train.width(), train.numClasses());
    }

    /** Trains the run to its last step, or until the listener says cancelled; returns the last step done. */
    public int train(RunConfig config, ImageDataset train, TrainingListener listener) {
        NetworkSpec spec = networkSpec(config, train);
        CutNetwork net = Networks.build(spec);
        List<Integer> checkpointSteps = config.checkpointSteps();
        Set<Integer> checkpointAt = new HashSet<>(checkpointSteps);
        int progressEvery = Math.max(1, Math.min(config.checkpointInterval(), config.steps() / 50));

        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(config.learningRate().floatValue()))
                        .optMomentum(config.momentum().floatValue()).optWeightDecays(WEIGHT_DECAY).build())
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                        XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);

        try (Model model = Model.newInstance("run"); NDManager scratch = NDManager.newBaseManager()) {
            model.setBlock(net.block());
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                Engine.getInstance().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
                trainer.initialize(Checkpoints.inputShape(spec));

                SplittableRandom order = new SplittableRandom(config.seed());
                int[] permutation = permutation(train.size(), order);
                int cursor = 0;
                int index = 0;
                double lossSum = 0;
                double correct = 0;
                long seen = 0;
                double ckLossSum = 0;
                double ckCorrect = 0;
                long ckSeen = 0;
                long windowStart = System.nanoTime();
                long windowImages = 0;

                listener.onCheckpoint(0, index++, Checkpoints.save(net.block()), Double.NaN, Double.NaN);
                for (int step = 1; step <= config.steps(); step++) {
                    if (listener.cancelled()) {
                        return step - 1;
                    }
                    int batchSize = Math.min(config.batchSize(), train.size());
                    if (cursor + batchSize > train.size()) {
                        permutation = permutation(train.size(), order);
                        cursor = 0;
                    }
                    int[] batchIdx = java.util.Arrays.copyOfRange(permutation, cursor, cursor + batchSize);
                    cursor += batchSize;
                    try (NDManager batch = scratch.newSubManager()) {
                        NDArray x = train.images(batch, batchIdx);
                        float[] y = new float[batchSize];
                        for (int i = 0; i < batchSize; i++) {
                            y[i] = train.labels()[batchIdx[i]];
                        }
                        NDArray labels = batch.create(y);
                        NDList predictions;
                        float loss;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            predictions = trainer.forward(new NDList(x), new NDList(labels));
                            NDArray l = trainer.getLoss().evaluate(new NDList(labels), predictions);
                            gc.backward(l);
                            loss = l.getFloat();
                        }
                        if (!Float.isFinite(loss)) {
                            throw new TrainingDivergedException("training loss is " + loss + " at step " + step
                                    + " (lower the learning rate; on CPUs with AVX-512 also set "
                                    + "DNNL_MAX_CPU_ISA=AVX2)");
                        }
                        trainer.step();
                        float hits = predictions.singletonOrThrow().argMax(1).toType(DataType.FLOAT32, false)
                                .eq(labels).toType(DataType.FLOAT32, false).sum().getFloat();
                        lossSum += loss * batchSize;
                        correct += hits;
                        seen += batchSize;
                        ckLossSum += loss * batchSize;
                        ckCorrect += hits;
                        ckSeen += batchSize;
                        windowImages += batchSize;
                    }
                    if (step % progressEvery == 0 || step == config.steps()) {
                        double seconds = (System.nanoTime() - windowStart) / 1e9;
                        listener.onProgress(step, config.steps(), lossSum / seen, correct / seen,
                                config.learningRate(), windowImages / Math.max(seconds, 1e-9));
                        lossSum = 0;
                        correct = 0;
                        seen = 0;
                        windowStart = System.nanoTime();
                        windowImages = 0;
                    }
                    if (checkpointAt.contains(step)) {
                        listener.onCheckpoint(step, index++, Checkpoints.save(net.block()), ckLossSum / ckSeen,
                                ckCorrect / ckSeen);
                        ckLossSum = 0;
                        ckCorrect = 0;
                        ckSeen = 0;
                    }
                }
                return config.steps();
            }
        }
    }

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
