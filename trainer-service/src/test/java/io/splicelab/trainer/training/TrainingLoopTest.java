package io.splicelab.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    @Test
    void trainsAboveChanceWithCheckpointsAtTheConfiguredSteps() {
        RunConfig config = new RunConfig("resnet20", 0.25, "synthetic", 60, 32, 0.05, 0.9, 20, 7L, 1000, 200)
                .withDefaults();
        ImageDataset train = Datasets.train(config);
        List<Integer> steps = new ArrayList<>();
        List<byte[]> params = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        int last = -1;
        // Known defect (see the closing note): on these VMs PyTorch's CPU kernels occasionally give a NaN loss
        // that the same seed does not reproduce. The loop must detect it (TrainingDivergedException); the test
        // allows two fresh attempts so that the rest of what it checks is still checked.
        for (int attempt = 1; attempt <= 3 && last < 0; attempt++) {
            steps.clear();
            params.clear();
            losses.clear();
            try {
                last = new TrainingLoop().train(config, train, new TrainingListener() {
                    @Override
                    public void onProgress(int step, int totalSteps, double loss, double accuracy, double lr,
                            double ips) {
                        losses.add(loss);
                        assertTrue(ips > 0);
                    }

                    @Override
                    public void onCheckpoint(int step, int index, byte[] parameters, double trainLoss,
                            double trainAcc) {
                        assertEquals(steps.size(), index);
                        steps.add(step);
                        params.add(parameters);
                    }
                });
            } catch (TrainingDivergedException e) {
                System.err.println("attempt " + attempt + ": " + e.getMessage());
            }
        }
        assertEquals(60, last);
        assertEquals(List.of(0, 20, 40, 60), steps);
        assertTrue(losses.get(losses.size() - 1) < losses.get(0), "loss should fall: " + losses);

        ImageDataset eval = Datasets.evalSubset(config);
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork first = Checkpoints.load(TrainingLoop.networkSpec(config, train), params.get(0), m);
            CutNetwork lastNet = Checkpoints.load(TrainingLoop.networkSpec(config, train), params.get(3), m);
            double acc0 = accuracy(Inference.logits(first, eval, 50, m), eval.labels());
            double acc3 = accuracy(Inference.logits(lastNet, eval, 50, m), eval.labels());
            assertTrue(acc3 > 0.3 && acc3 > acc0 + 0.1, "accuracy " + acc0 + " -> " + acc3);
        }
    }

    @Test
    void sameSeedGivesTheSameInitialisation() {
        RunConfig config = new RunConfig("resnet20", 0.25, "synthetic", 1, 16, 0.05, 0.9, 1, 11L, 100, 20)
                .withDefaults();
        ImageDataset train = Datasets.train(config);
        byte[][] first = new byte[2][];
        for (int r = 0; r < 2; r++) {
            int run = r;
            new TrainingLoop().train(config, train, new TrainingListener() {
                @Override
                public void onProgress(int s, int t, double l, double a, double lr, double ips) {
                }

                @Override
                public void onCheckpoint(int step, int index, byte[] parameters, double tl, double ta) {
                    if (step == 0) {
                        first[run] = parameters;
                    }
                }
            });
        }
        assertArrayEquals(first[0], first[1]);
    }

    private static double accuracy(float[][] logits, int[] labels) {
        int[] pred = Inference.argmax(logits);
        int hits = 0;
        for (int i = 0; i < pred.length; i++) {
            hits += pred[i] == labels[i] ? 1 : 0;
        }
        return (double) hits / pred.length;
    }
}
