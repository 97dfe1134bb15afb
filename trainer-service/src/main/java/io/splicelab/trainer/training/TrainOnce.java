package io.splicelab.trainer.training;

import io.splicelab.model.data.Datasets;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;

/**
 * Trains one run in this process without Kafka or the artifact store and prints progress and the test
 * accuracy of every checkpoint: for measuring a configuration by hand. Usage: {@code TrainOnce '<RunConfig
 * JSON>'} (run with {@code -Dai.djl.offline=true}, as {@code trainer-service/train-once} does).
 */
public final class TrainOnce {
    private TrainOnce() {
    }

    public static void main(String[] args) throws Exception {
        DjlOffline.configure();
        RunConfig config = EventCodec.mapper().readValue(args.length == 0 ? "{}" : args[0], RunConfig.class)
                .withDefaults();
        var errors = config.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + errors);
        }
        System.out.println("config " + EventCodec.toJson(config));
        long t0 = System.nanoTime();
        TrainingData data = new TrainingData(Datasets.train(config), Datasets.evalSubset(config),
                Datasets.test(config));
        System.out.printf("data: %d train, %d test examples, %.1f s%n", data.train().size(), data.test().size(),
                (System.nanoTime() - t0) / 1e9);
        long start = System.nanoTime();
        new TrainingLoop().train(config, data, new TrainingListener() {
            @Override
            public void onProgress(int step, int total, double loss, double acc, double lr, double ips) {
                System.out.printf("step %d/%d loss %.4f acc %.4f lr %.4g %.0f img/s%n", step, total, loss, acc, lr,
                        ips);
            }

            @Override
            public void onCheckpoint(CheckpointState c) {
                System.out.printf("checkpoint step %d epoch %.2f train loss %.4f acc %.4f test acc %.4f on %d (%.0f s)%n",
                        c.step(), c.epoch(), c.trainLoss(), c.trainAccuracy(), c.testAccuracy(), c.testSamples(),
                        (System.nanoTime() - start) / 1e9);
            }
        }, null);
    }
}
