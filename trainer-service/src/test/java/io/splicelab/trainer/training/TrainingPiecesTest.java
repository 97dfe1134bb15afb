package io.splicelab.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.djl.DjlOffline;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seeded, pure pieces of the loop: schedule, data order, label noise, augmentation, update rules. */
class TrainingPiecesTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    @Test
    void schedulesWarmUpThenDecay() {
        LearningRateSchedule step = new LearningRateSchedule(0.1, "step", List.of(10, 20), 0.1, 0, 30);
        assertEquals(0.1, step.rate(10), 1e-12);
        assertEquals(0.01, step.rate(11), 1e-12);
        assertEquals(0.001, step.rate(21), 1e-12);
        LearningRateSchedule cosine = new LearningRateSchedule(0.1, "cosine", List.of(), 0.1, 5, 105);
        assertEquals(0.02, cosine.rate(1), 1e-12);
        assertEquals(0.1, cosine.rate(5), 1e-12);
        assertEquals(0.1, cosine.rate(6), 1e-12);
        assertEquals(0.05, cosine.rate(56), 1e-3);
        assertTrue(cosine.rate(105) < 1e-3);
        assertEquals(0.1, new LearningRateSchedule(0.1, "constant", List.of(), 0.1, 0, 9).rate(9), 1e-12);
    }

    @Test
    void dataOrderIsAPermutationPerEpochAndAFunctionOfTheStep() {
        DataOrder order = new DataOrder(10, 3, 42);
        assertEquals(3, order.stepsPerEpoch());
        int[] epoch0 = new int[9];
        for (int s = 1; s <= 3; s++) {
            System.arraycopy(order.batch(s), 0, epoch0, (s - 1) * 3, 3);
        }
        assertEquals(9, Arrays.stream(epoch0).distinct().count());
        int[] late = order.batch(7);
        assertArrayEquals(late, new DataOrder(10, 3, 42).batch(7), "a fresh order gives the same batch");
        assertNotEquals(Arrays.toString(order.batch(1)), Arrays.toString(order.batch(4)));
    }

    @Test
    void labelNoiseReplacesTheFractionWithSeededLabels() {
        int[] labels = new int[1000];
        Arrays.setAll(labels, i -> i % 10);
        int[] none = LabelNoise.apply(labels, 10, 0, 1);
        assertArrayEquals(labels, none);
        int[] half = LabelNoise.apply(labels, 10, 0.5, 1);
        long changed = java.util.stream.IntStream.range(0, 1000).filter(i -> half[i] != labels[i]).count();
        assertTrue(changed > 400 && changed <= 500, "changed " + changed); // 1/10 of the redrawn keep their label
        assertArrayEquals(half, LabelNoise.apply(labels, 10, 0.5, 1));
        int[] random = LabelNoise.apply(labels, 10, 1, 1);
        long kept = java.util.stream.IntStream.range(0, 1000).filter(i -> random[i] == labels[i]).count();
        assertTrue(kept > 60 && kept < 140, "random labels keep about 1/10: " + kept);
    }

    @Test
    void augmentationCropsWithZeroPaddingAndFlips() {
        float[] pixels = new float[16];
        for (int i = 0; i < 16; i++) {
            pixels[i] = i + 1;
        }
        ImageDataset one = new ImageDataset("t", 1, 4, 4, 2, pixels, new int[] {0});
        assertArrayEquals(pixels, new Augmenter("none").batch(one, new int[] {0}, new SplittableRandom(1)));
        boolean sawFlip = false;
        for (int seed = 0; seed < 20; seed++) {
            float[] flipped = new Augmenter("flip").batch(one, new int[] {0}, new SplittableRandom(seed));
            if (flipped[0] == 4) {
                sawFlip = true;
                assertArrayEquals(new float[] {4, 3, 2, 1}, Arrays.copyOf(flipped, 4));
            } else {
                assertArrayEquals(pixels, flipped);
            }
        }
        assertTrue(sawFlip);
        for (int seed = 0; seed < 20; seed++) {
            float[] cropped = new Augmenter("crop").batch(one, new int[] {0}, new SplittableRandom(seed));
            long zeros = java.util.stream.IntStream.range(0, 16).filter(i -> cropped[i] == 0).count();
            assertTrue(zeros == 0 || zeros == 4 || zeros == 7, "a one-pixel shift: " + Arrays.toString(cropped));
        }
    }

    @Test
    void sgdFollowsPyTorchSemanticsAndItsStateRoundTrips() {
        try (NDManager m = NDManager.newBaseManager()) {
            UpdateRule sgd = new UpdateRule.Sgd(0.9f, true, 0.1f);
            NDArray w = m.create(new float[] {1f, -2f});
            for (int t = 0; t < 2; t++) {
                sgd.beginStep();
                sgd.update(0, w, m.create(new float[] {0.5f, 0.5f}), 0.1f);
            }
            // by hand: d1 = g + 0.1 w; v1 = d1; w -= 0.1 (d1 + 0.9 v1); then again
            double[] expected = {1, -2};
            double[] v = {0, 0};
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < 2; i++) {
                    double d = 0.5 + 0.1 * expected[i];
                    v[i] = 0.9 * v[i] + d;
                    expected[i] -= 0.1 * (d + 0.9 * v[i]);
                }
            }
            float[] got = w.toFloatArray();
            assertEquals(expected[0], got[0], 1e-6);
            assertEquals(expected[1], got[1], 1e-6);

            byte[] state = sgd.save();
            UpdateRule restored = new UpdateRule.Sgd(0.9f, true, 0.1f);
            restored.load(state, m);
            assertArrayEquals(state, restored.save());

            UpdateRule plain = new UpdateRule.Sgd(0.9f, false, 0.1f);
            NDArray p = m.create(new float[] {1f});
            p.setRequiresGradient(true);
            for (int t = 0; t < 2; t++) {
                try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance()
                        .newGradientCollector()) {
                    gc.backward(p.mul(0.5f).sum()); // gradient 0.5
                }
                plain.beginStep();
                try (NDArray g = p.getGradient()) {
                    plain.update(0, p, g, 0.1f);
                }
                try (NDArray g = p.getGradient()) {
                    assertEquals(0f, g.toFloatArray()[0], "the fused update zeroes the gradient");
                }
            }
            // v1 = -0.1 (0.5 + 0.1) = -0.06, w1 = 0.94; v2 = 0.9 v1 - 0.1 (0.5 + 0.094) = -0.1134, w2 = 0.8266
            assertEquals(0.8266, p.toFloatArray()[0], 1e-5);

            UpdateRule adam = new UpdateRule.Adam(0.9f, 0.999f, 1e-8f, 0);
            NDArray a = m.create(new float[] {1f});
            adam.beginStep();
            adam.update(0, a, m.create(new float[] {3f}), 0.01f);
            assertEquals(0.99, a.toFloatArray()[0], 1e-5, "Adam's first step moves by lr");
        }
    }

    @Test
    void projectionIsSeededAndLinear() {
        float[] x = new float[5000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        float[] twice = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            twice[i] = 2 * x[i];
        }
        float[][] p = RandomProjection.project(new float[][] {x, twice}, 8, 3);
        for (int j = 0; j < 8; j++) {
            assertEquals(2 * p[0][j], p[1][j], 1e-3);
        }
        assertArrayEquals(p[0], RandomProjection.project(new float[][] {x}, 8, 3)[0]);
    }
}
