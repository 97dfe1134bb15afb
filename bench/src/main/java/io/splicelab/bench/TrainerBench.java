package io.splicelab.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.splicelab.model.data.DatasetUnavailableException;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.Networks;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.trainer.training.CheckpointState;
import io.splicelab.trainer.training.TrainingData;
import io.splicelab.trainer.training.TrainingListener;
import io.splicelab.trainer.training.TrainingLoop;

/**
 * ResNet-20 training throughput, in the same run and on the same in-memory data: the trainer's loop
 * ({@link TrainingLoop}: seeded order, label bookkeeping, own optimizer with savable state, the finite-loss
 * and finite-gradient check, progress events encoded as the service encodes them, and two checkpoints whose
 * parameters and optimizer state are written to an artifact store with their sha256) next to the bare DJL loop (a {@link Trainer} with DJL's SGD: forward, backward, update, one
 * sub-manager per batch). Synthetic 3x32x32 and Fashion-MNIST 1x28x28 (when installed). The two loops
 * alternate for a number of rounds and the best round of each counts, because the machine is shared.
 * Both use SGD with momentum 0.9, weight decay 5e-4, learning rate 0.05 and no augmentation.
 *
 * <p>Usage: {@code ./bench/run trainer [steps] [batch] [rounds] [DATASET]} (defaults 40, 128, 2, both datasets);
 * DATASET {@code synthetic} or {@code fashion-mnist} measures only that one. The first 5 steps of every
 * measurement are warm-up and not timed.
 */
public final class TrainerBench {
    static final int WARMUP = 5;

    public static void main(String[] args) throws Exception {
        DjlOffline.configure();
        int steps = BenchArgs.intArg(args, 0, 40);
        int batch = BenchArgs.intArg(args, 1, 128);
        int rounds = BenchArgs.intArg(args, 2, 2);
        String[] datasets = args.length > 3 ? new String[] {BenchArgs.dataset(args[3])}
                : BenchArgs.DATASETS.toArray(String[]::new);
        BenchReport report = new BenchReport("trainer");
        report.line(String.format("ResNet-20, %d steps (%d warm-up), batch %d, %d rounds", steps, WARMUP, batch,
                rounds));
        for (String dataset : datasets) {
            RunConfig config = EventCodec.mapper().readValue("{\"dataset\":\"" + dataset + "\",\"steps\":" + steps
                     + ",\"batchSize\":" + batch + ",\"checkpointInterval\":" + (steps / 2) + ",\"trainSize\":"
                    + (batch * (steps + 1)) + ",\"augmentation\":\"none\",\"evalSize\":10,\"seed\":1}",
                    RunConfig.class).withDefaults();
            ImageDataset train;
            try {
                train = Datasets.train(config);
            } catch (DatasetUnavailableException e) {
                report.line(dataset + ": skipped (" + e.getMessage() + ")");
                continue;
            }
            double bestBare = 0;
            double bestService = 0;
            for (int r = 0; r < rounds; r++) {
                double bare = bare(config, train);
                double service = service(config, train);
                report.figure(dataset + " round " + (r + 1) + " bare DJL loop", bare, "images/s");
                report.figure(dataset + " round " + (r + 1) + " trainer loop", service, "images/s");
                bestBare = Math.max(bestBare, bare);
                bestService = Math.max(bestService, service);
            }
            report.figure(dataset + " best bare DJL loop", bestBare, "images/s");
            report.figure(dataset + " best trainer loop", bestService, "images/s");
            report.figure(dataset + " trainer / bare", bestService / bestBare, "(target >= 0.9)");
        }
        report.write();
    }

    /**
     * The trainer's loop with what the service does around it (events encoded, checkpoint artifacts
     * written and hashed); images/s between the end of warm-up and the last checkpoint written.
     */
    static double service(RunConfig config, ImageDataset train) throws java.io.IOException {
        long[] times = new long[2];
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("trainer-bench");
        ArtifactStore store = new LocalArtifactStore(dir);
        EventCodec codec = new EventCodec("/trainer-bench");
        String run = "bench-" + System.nanoTime();
        try {
            new TrainingLoop().train(config, new TrainingData(train, null, null), new TrainingListener() {
                @Override
                public void onProgress(int step, int total, double loss, double acc, double lr, double ips) {
                    codec.encode(run, new RunProgress(run, step, total, loss, acc, lr, ips));
                    if (step == WARMUP) {
                        times[0] = System.nanoTime();
                    }
                }

                @Override
                public void onCheckpoint(CheckpointState c) {
                    ArtifactRef params = store.put(RunArtifacts.checkpointParams(run, c.step()), c.parameters(),
                            Checkpoints.MEDIA_TYPE);
                    ArtifactRef optimizer = store.put("runs/" + run + "/checkpoints/step-" + c.step() + ".optim",
                            c.optimizerState(), "application/octet-stream");
                    EventCodec.toJson(java.util.Map.of("step", c.step(), "parameters", params, "optimizer",
                            optimizer));
                    if (c.step() == config.steps()) {
                        times[1] = System.nanoTime();
                    }
                }
            }, null);
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return (double) (config.steps() - WARMUP) * config.batchSize() / ((times[1] - times[0]) / 1e9);
    }

    /** DJL's own loop over the same data in order; images/s after warm-up. */
    static double bare(RunConfig config, ImageDataset train) {
        var spec = TrainingLoop.networkSpec(config, train);
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f)
                        .optWeightDecays(5e-4f).build())
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                        XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        int b = config.batchSize();
        try (Model model = Model.newInstance("bare"); NDManager scratch = NDManager.newBaseManager()) {
            model.setBlock(Networks.build(spec).block());
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                Engine.getInstance().setRandomSeed(1);
                trainer.initialize(Checkpoints.inputShape(spec));
                long start = 0;
                for (int step = 1; step <= config.steps(); step++) {
                    if (step == WARMUP + 1) {
                        start = System.nanoTime();
                    }
                    int from = (step - 1) * b;
                    try (NDManager m = scratch.newSubManager()) {
                        NDArray x = train.images(m, from, from + b);
                        float[] y = new float[b];
                        for (int i = 0; i < b; i++) {
                            y[i] = train.labels()[from + i];
                        }
                        NDArray labels = m.create(y);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(x), new NDList(labels));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), out);
                            gc.backward(loss);
                            loss.getFloat();
                        }
                        trainer.step();
                    }
                }
                return (double) (config.steps() - WARMUP) * b / ((System.nanoTime() - start) / 1e9);
            }
        }
    }
}
