package io.splicelab.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.djl.HeapFill;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    static RunConfig config(String json) {
        try {
            return EventCodec.mapper().readValue(json, RunConfig.class).withDefaults();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Records everything the loop reports. */
    static class Recorder implements TrainingListener {
        final Map<Integer, CheckpointState> checkpoints = new LinkedHashMap<>();
        final List<NoiseSample> noise = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        final List<Integer> progressSteps = new ArrayList<>();
        final List<String> recoveries = new ArrayList<>();
        int cancelAfter = Integer.MAX_VALUE;

        @Override
        public void onProgress(int step, int totalSteps, double loss, double accuracy, double lr, double ips) {
            losses.add(loss);
            progressSteps.add(step);
            assertTrue(ips > 0);
        }

        @Override
        public void onRecovery(int faultStep, int resumedFrom, String reason) {
            recoveries.add(faultStep + "->" + resumedFrom + ": " + reason);
        }

        @Override
        public void onCheckpoint(CheckpointState c) {
            checkpoints.put(c.step(), c);
        }

        @Override
        public void onNoise(NoiseSample sample) {
            noise.add(sample);
        }

        @Override
        public boolean cancelled() {
            return checkpoints.keySet().stream().anyMatch(s -> s >= cancelAfter);
        }
    }

    @Test
    void trainsAboveChanceWithCheckpointsAtTheConfiguredSteps() {
        RunConfig config = new RunConfig("resnet20", 0.25, "synthetic", 60, 32, 0.05, 0.9, 20, 7L, 1000, 200)
                .withDefaults();
        ImageDataset train = Datasets.train(config);
        Recorder rec = new Recorder();
        int last = new TrainingLoop().train(config, new TrainingData(train, Datasets.evalSubset(config), null), rec,
                null);
        assertEquals(60, last);
        assertEquals(List.of(0, 20, 40, 60), List.copyOf(rec.checkpoints.keySet()));
        List<Integer> indices = rec.checkpoints.values().stream().map(CheckpointState::index).toList();
        assertEquals(List.of(0, 1, 2, 3), indices);
        assertTrue(rec.losses.get(rec.losses.size() - 1) < rec.losses.get(0), "loss should fall: " + rec.losses);
        CheckpointState lastCheckpoint = rec.checkpoints.get(60);
        assertTrue(lastCheckpoint.testAccuracy() > 0.3, "test accuracy " + lastCheckpoint.testAccuracy());
        assertEquals(200, lastCheckpoint.testSamples());
        assertEquals(60.0 / (1000 / 32), lastCheckpoint.epoch(), 1e-9);

        ImageDataset eval = Datasets.evalSubset(config);
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork first = Checkpoints.load(TrainingLoop.networkSpec(config, train),
                    rec.checkpoints.get(0).parameters(), m);
            CutNetwork lastNet = Checkpoints.load(TrainingLoop.networkSpec(config, train), lastCheckpoint.parameters(),
                    m);
            double acc0 = TrainingLoop.accuracy(Inference.logits(first, eval, 50, m), eval.labels());
            double acc3 = TrainingLoop.accuracy(Inference.logits(lastNet, eval, 50, m), eval.labels());
            assertTrue(acc3 > acc0 + 0.1, "accuracy " + acc0 + " -> " + acc3);
            assertEquals(lastCheckpoint.testAccuracy(), acc3, 1e-9, "the checkpoint predicts as it was measured");
        }
    }

    @Test
    void aResumedRunEndsWithTheParametersOfAnUninterruptedOne() {
        RunConfig config = config("{\"widthMultiplier\":0.25,\"steps\":8,\"batchSize\":16,\"checkpointInterval\":4,"
                + "\"trainSize\":100,\"evalSize\":20,\"seed\":5,\"augmentation\":\"crop+flip\",\"labelNoise\":0.3,"
                + "\"nesterov\":true,\"lrSchedule\":\"cosine\",\"warmupSteps\":2}");
        TrainingData data = new TrainingData(Datasets.train(config), null, null);
        Recorder whole = new Recorder();
        new TrainingLoop().train(config, data, whole, null);

        Recorder first = new Recorder();
        first.cancelAfter = 4;
        int stopped = new TrainingLoop().train(config, data, first, null);
        assertEquals(4, stopped);
        CheckpointState at4 = first.checkpoints.get(4);
        Recorder second = new Recorder();
        new TrainingLoop().train(config, data, second,
                new ResumePoint(4, at4.index() + 1, at4.parameters(), at4.optimizerState()));
        assertEquals(List.of(8), List.copyOf(second.checkpoints.keySet()));
        assertEquals(2, second.checkpoints.get(8).index());
        assertArrayEquals(whole.checkpoints.get(8).parameters(), second.checkpoints.get(8).parameters(),
                "resumed parameters differ from the uninterrupted run's");
        assertArrayEquals(whole.checkpoints.get(8).optimizerState(), second.checkpoints.get(8).optimizerState());
    }

    @Test
    void samplesCentredNoiseAndTheUpdateSinceThePreviousCheckpoint() {
        RunConfig config = config("{\"widthMultiplier\":0.25,\"steps\":4,\"batchSize\":8,\"checkpointInterval\":2,"
                + "\"trainSize\":64,\"evalSize\":16,\"noiseSteps\":[0,2],\"noiseMinibatches\":3}");
        TrainingData data = new TrainingData(Datasets.train(config), null, null);
        Recorder rec = new Recorder();
        new TrainingLoop().train(config, data, rec, null);
        assertEquals(2, rec.noise.size());
        NoiseSample atZero = rec.noise.get(0);
        assertNull(atZero.update(), "no update before the first checkpoint");
        NoiseSample atTwo = rec.noise.get(1);
        assertEquals(3, atTwo.noise().rows());
        assertEquals(atTwo.parameters(), atTwo.noise().cols());
        double colSum = 0;
        for (int i = 0; i < 3; i++) {
            colSum += atTwo.noise().values()[(int) (i * atTwo.noise().cols())];
        }
        assertEquals(0, colSum, 1e-5, "noise rows are deviations from their mean");
        assertNotNull(atTwo.update());
        assertEquals(1, atTwo.update().rows());

        // sampling noise does not disturb training: same final parameters as without it
        RunConfig quiet = config("{\"widthMultiplier\":0.25,\"steps\":4,\"batchSize\":8,\"checkpointInterval\":2,"
                + "\"trainSize\":64,\"evalSize\":16}");
        Recorder plain = new Recorder();
        new TrainingLoop().train(quiet, data, plain, null);
        assertArrayEquals(plain.checkpoints.get(4).parameters(), rec.checkpoints.get(4).parameters());

        RunConfig projected = config("{\"widthMultiplier\":0.25,\"steps\":2,\"batchSize\":8,\"checkpointInterval\":2,"
                + "\"trainSize\":64,\"evalSize\":16,\"noiseSteps\":[2],\"noiseMinibatches\":3,"
                + "\"noiseProjectionDim\":5}");
        Recorder proj = new Recorder();
        new TrainingLoop().train(projected, data, proj, null);
        assertEquals(5, proj.noise.get(0).noise().cols());
        assertNotNull(proj.noise.get(0).projectionSeed());
    }

    @Test
    void aFrozenShallowPartKeepsItsParametersAndStatistics() {
        RunConfig config = config("{\"widthMultiplier\":0.25,\"steps\":4,\"batchSize\":8,\"checkpointInterval\":2,"
                + "\"trainSize\":64,\"evalSize\":16,\"freezeCut\":\"stage1\",\"freezeStep\":2}");
        ImageDataset train = Datasets.train(config);
        Recorder rec = new Recorder();
        new TrainingLoop().train(config, new TrainingData(train, null, null), rec, null);
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork at2 = Checkpoints.load(TrainingLoop.networkSpec(config, train),
                    rec.checkpoints.get(2).parameters(), m);
            CutNetwork at4 = Checkpoints.load(TrainingLoop.networkSpec(config, train),
                    rec.checkpoints.get(4).parameters(), m);
            int shallow = at2.cutIndex("stage1");
            var a = at2.block().getChildren().values();
            var b = at4.block().getChildren().values();
            for (int i = 0; i < at2.segments().size(); i++) {
                var pa = a.get(i).getParameters().values();
                var pb = b.get(i).getParameters().values();
                boolean same = true;
                for (int k = 0; k < pa.size(); k++) {
                    same &= java.util.Arrays.equals(pa.get(k).getArray().toFloatArray(),
                            pb.get(k).getArray().toFloatArray());
                }
                assertEquals(i < shallow, same, "segment " + at2.segments().get(i) + " frozen=" + (i < shallow));
            }
        }
    }

    static final String SMALL_RUN = "{\"widthMultiplier\":0.25,\"steps\":12,\"batchSize\":16,"
            + "\"checkpointInterval\":4,\"trainSize\":100,\"evalSize\":20,\"seed\":3,\"noiseSteps\":[4,8],"
            + "\"noiseMinibatches\":2,\"noiseProjectionDim\":4}";

    @Test
    void aTransientFaultIsRolledBackAndReplayedToTheSameResult() {
        RunConfig config = config(SMALL_RUN);
        TrainingData data = new TrainingData(Datasets.train(config), null, null);
        Recorder clean = new Recorder();
        new TrainingLoop().train(config, data, clean, null);

        Recorder faulty = new Recorder();
        boolean[] faulted = new boolean[1];
        int last = new TrainingLoop(step -> step == 10 && !faulted[0] && (faulted[0] = true)).train(config, data,
                faulty, null);
        assertEquals(12, last);
        assertEquals(1, faulty.recoveries.size(), faulty.recoveries.toString());
        assertTrue(faulty.recoveries.get(0).startsWith("10->8: a gradient is NaN"), faulty.recoveries.toString());
        assertTrue(faulty.recoveries.get(0).endsWith("(in 01SequentialBlock_01Conv2d_weight)"),
                "the fault names the poisoned parameter: " + faulty.recoveries);
        assertEquals(List.of(0, 4, 8, 12), List.copyOf(faulty.checkpoints.keySet()), "no checkpoint twice");
        assertEquals(List.of(0, 1, 2, 3), faulty.checkpoints.values().stream().map(CheckpointState::index).toList());
        assertEquals(clean.progressSteps, faulty.progressSteps, "replayed steps are not reported twice");
        assertEquals(clean.noise.size(), faulty.noise.size());
        assertArrayEquals(clean.checkpoints.get(12).parameters(), faulty.checkpoints.get(12).parameters(),
                "the replay ends where an undisturbed run ends");
        assertArrayEquals(clean.checkpoints.get(12).optimizerState(), faulty.checkpoints.get(12).optimizerState());
    }

    /**
     * The replay must not depend on memory the JVM frees: the recovery once overwrote every gradient with
     * NDArray.set(float[]), which left PyTorch's gradient tensors over Java direct buffers that were freed
     * after the call; later allocations of the same size reused them and the replayed steps read (and wrote)
     * them. Here the replayed steps run after garbage collections and with NaN-filled buffers of every
     * parameter size allocated, and must still end where an undisturbed run ends.
     */
    @Test
    void theReplayIsIndependentOfFreedMemory() throws Exception {
        RunConfig config = config(SMALL_RUN);
        TrainingData data = new TrainingData(Datasets.train(config), null, null);
        Recorder clean = new Recorder();
        new TrainingLoop().train(config, data, clean, null);

        boolean[] faulted = new boolean[1];
        try (NDManager churn = NDManager.newBaseManager()) {
            Recorder faulty = new Recorder() {
                @Override
                public void onProgress(int step, int totalSteps, double loss, double accuracy, double lr, double ips) {
                    super.onProgress(step, totalSteps, loss, accuracy, lr, ips);
                    if (!recoveries.isEmpty()) {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        for (int size : new int[] {4, 8, 10, 16, 36, 144, 160, 288, 576, 1152, 2304}) {
                            float[] nan = new float[size];
                            java.util.Arrays.fill(nan, Float.NaN);
                            for (int k = 0; k < 10; k++) {
                                churn.create(nan);
                            }
                        }
                    }
                }
            };
            int last = new TrainingLoop(step -> step == 6 && !faulted[0] && (faulted[0] = true)).train(config, data,
                    faulty, null);
            assertEquals(12, last);
            assertEquals(1, faulty.recoveries.size(), faulty.recoveries.toString());
            assertArrayEquals(clean.checkpoints.get(12).parameters(), faulty.checkpoints.get(12).parameters(),
                    "the replay ends where an undisturbed run ends");
        }
    }

    /**
     * The service's loop fills fresh heap memory from a run's first fault on (oneDNN reads unwritten padding,
     * and a faulty step leaves NaN in the memory it frees), for the rest of that run only.
     */
    @Test
    void theFirstFaultTurnsTheHeapFillOnForTheRestOfTheRun() {
        RunConfig config = config(SMALL_RUN);
        TrainingData data = new TrainingData(Datasets.train(config), null, null);
        List<Boolean> fillAtCheckpoints = new ArrayList<>();
        Recorder rec = new Recorder() {
            @Override
            public void onCheckpoint(CheckpointState c) {
                super.onCheckpoint(c);
                fillAtCheckpoints.add(HeapFill.active());
            }
        };
        boolean[] faulted = new boolean[1];
        assertFalse(HeapFill.active());
        int last = new TrainingLoop(step -> step == 6 && !faulted[0] && (faulted[0] = true), n -> false, false)
                .train(config, data, rec, null);
        assertEquals(12, last);
        assertFalse(HeapFill.active(), "the run's lease is returned when it ends");
        assertEquals(1, rec.recoveries.stream().filter(r -> r.endsWith("fresh heap memory is filled from now on"))
                .count(), "the first recovery says so, once: " + rec.recoveries);
        assertEquals(List.of(0, 4, 8, 12), List.copyOf(rec.checkpoints.keySet()));
        assertTrue(fillAtCheckpoints.get(fillAtCheckpoints.size() - 1), "filled after the fault at step 6");
        assertTrue(fillAtCheckpoints.get(2) && fillAtCheckpoints.get(3), "on from the fault to the run's end: "
                + fillAtCheckpoints);
    }

    @Test
    void aNonFiniteNoiseGradientIsComputedAgainNotKept() {
        RunConfig config = config(SMALL_RUN);
        TrainingData data = new TrainingData(Datasets.train(config), null, null);
        Recorder clean = new Recorder();
        new TrainingLoop().train(config, data, clean, null);

        Recorder faulty = new Recorder();
        int last = new TrainingLoop(step -> false, n -> n == 2, false).train(config, data, faulty, null);
        assertEquals(12, last);
        assertEquals(1, faulty.recoveries.size(), "reported once, when the heap fill comes on: " + faulty.recoveries);
        assertTrue(faulty.recoveries.get(0).startsWith("4->4: a noise-sampling gradient was not finite"),
                faulty.recoveries.toString());
        assertEquals(clean.noise.size(), faulty.noise.size());
        for (int i = 0; i < clean.noise.size(); i++) {
            assertArrayEquals(clean.noise.get(i).noise().values(), faulty.noise.get(i).noise().values(),
                    "the minibatch computed again gives the gradient an undisturbed sampling gives");
        }
        assertArrayEquals(clean.checkpoints.get(12).parameters(), faulty.checkpoints.get(12).parameters());

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new TrainingLoop(step -> false, n -> true, false).train(config, data, new Recorder(), null));
        assertTrue(e.getMessage().contains("not finite in " + NoiseSampler.TRIES + " computations"), e.getMessage());
    }

    @Test
    void aFaultTheReplayReproducesFailsTheRun() {
        RunConfig config = config(SMALL_RUN);
        TrainingData data = new TrainingData(Datasets.train(config), null, null);
        Recorder rec = new Recorder();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new TrainingLoop(step -> step >= 6).train(config, data, rec, null));
        assertTrue(e.getMessage().contains("at step 6 again after replaying from step 4"), e.getMessage());
        assertEquals(List.of(0, 4), List.copyOf(rec.checkpoints.keySet()));
        assertEquals(1, rec.recoveries.size());

        // faults that keep moving (never the same step twice) stop after the allowed number of recoveries
        Recorder moving = new Recorder();
        int[] next = {5};
        TrainingDivergedException m = assertThrows(TrainingDivergedException.class,
                () -> new TrainingLoop(step -> {
                    if (step == next[0]) {
                        next[0]++;
                        return true;
                    }
                    return false;
                }).train(config, data, moving, null));
        assertEquals(TrainingLoop.MAX_RECOVERIES, moving.recoveries.size(), moving.recoveries.toString());
        assertTrue(m.getMessage().contains("after " + TrainingLoop.MAX_RECOVERIES + " recoveries"), m.getMessage());
    }

    /**
     * The service trains on a worker thread, not the thread that started DJL's engine; libtorch's autograd mode
     * is per thread (on by default), and every update rule must work there too, Nesterov's in-place one included,
     * and give what the same run gives on the engine's thread.
     */
    @Test
    void everyUpdateRuleTrainsOnAThreadOtherThanTheEngines() throws Exception {
        ai.djl.engine.Engine.getInstance(); // the engine starts on this thread
        for (String rule : List.of("\"nesterov\":true", "\"nesterov\":false", "\"optimizer\":\"adam\"")) {
            RunConfig config = config("{\"widthMultiplier\":0.25,\"steps\":4,\"batchSize\":16,"
                    + "\"checkpointInterval\":2,\"trainSize\":64,\"evalSize\":16,\"seed\":9," + rule + "}");
            TrainingData data = new TrainingData(Datasets.train(config), null, null);
            Recorder here = new Recorder();
            new TrainingLoop().train(config, data, here, null);
            Recorder there = new Recorder();
            Throwable[] failure = new Throwable[1];
            Thread worker = new Thread(() -> {
                try {
                    new TrainingLoop().train(config, data, there, null);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }, "trainer-run-test");
            worker.start();
            worker.join();
            assertNull(failure[0], rule + " on a worker thread: " + failure[0]);
            assertArrayEquals(here.checkpoints.get(4).parameters(), there.checkpoints.get(4).parameters(), rule);
        }
    }

    @Test
    void sameSeedGivesTheSameInitialisation() {
        RunConfig config = new RunConfig("resnet20", 0.25, "synthetic", 1, 16, 0.05, 0.9, 1, 11L, 100, 20)
                .withDefaults();
        ImageDataset train = Datasets.train(config);
        byte[][] first = new byte[2][];
        for (int r = 0; r < 2; r++) {
            Recorder rec = new Recorder();
            new TrainingLoop().train(config, train, rec);
            first[r] = rec.checkpoints.get(0).parameters();
        }
        assertArrayEquals(first[0], first[1]);
    }
}
