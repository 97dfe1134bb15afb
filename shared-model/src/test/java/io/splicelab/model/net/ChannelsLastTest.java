package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.splicelab.model.djl.DjlOffline;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Channels-last batches read back as NCHW, convolve to the same values, and keep the backward finite. */
class ChannelsLastTest {

    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    @AfterEach
    void defaultFormat() {
        System.clearProperty(ChannelsLast.PROPERTY);
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void theHostPermutationPutsChannelsInnermost() {
        // one image, 2 channels, 3 pixels: NCHW [c0p0 c0p1 c0p2 c1p0 c1p1 c1p2] -> NHWC [c0p0 c1p0 c0p1 ...]
        assertArrayEquals(new float[] {0, 10, 1, 11, 2, 12},
                ChannelsLast.toNhwc(new float[] {0, 1, 2, 10, 11, 12}, 1, 2, 3));
    }

    @Test
    void aBatchKeepsItsNchwShapeAndReadsBackInNchwOrder() {
        float[] nchw = random(4 * 3 * 5 * 6, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int c : new int[] {1, 3}) {
                float[] values = java.util.Arrays.copyOf(nchw, 4 * c * 5 * 6);
                NDArray x = ChannelsLast.images(m, values, 4, c, 5, 6);
                assertEquals(new Shape(4, c, 5, 6), x.getShape());
                assertArrayEquals(values, x.toFloatArray(), "c=" + c);
            }
        }
    }

    @Test
    void aWrongNumberOfValuesIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> ChannelsLast.images(m, new float[10], 1, 3, 2, 2));
        }
    }

    @Test
    void aConvolutionGivesWhatItGivesOnAContiguousBatch() {
        float[] images = random(8 * 3 * 12 * 12, 2);
        float[] weights = random(8 * 3 * 3 * 3, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(weights, new Shape(8, 3, 3, 3));
            float[] channelsLast = conv(ChannelsLast.images(m, images, 8, 3, 12, 12), w);
            System.setProperty(ChannelsLast.PROPERTY, "contiguous");
            assertFalse(ChannelsLast.enabled());
            float[] contiguous = conv(ChannelsLast.images(m, images, 8, 3, 12, 12), w);
            assertArrayEquals(contiguous, channelsLast, 1e-4f);
        }
    }

    private static float[] conv(NDArray x, NDArray w) {
        return Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow()
                .toFloatArray();
    }

    /**
     * The defect channels-last avoids: a backward convolution whose output gradient has 8 channels (padded to
     * a block of 16 at AVX-512, of 8 at AVX2 when there are 4), run right after NaN-filled tensors were freed.
     * On an AMD EPYC at AVX-512 the same loop over contiguous batches gave a NaN input gradient in 4 to 11 of
     * 30 repetitions (`./bench/run nan-study kernel 30 8 8 0 1 contiguous`); CPUs whose kernel does not read
     * the padding pass either way.
     */
    @Test
    void theBackwardOfAPaddedChannelCountStaysFiniteAfterNaNWasFreed() {
        assertTrue(ChannelsLast.enabled());
        Engine.getInstance().setRandomSeed(7);
        int faulty = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int rep = 0; rep < 30; rep++) {
                try (NDManager scratch = m.newSubManager()) {
                    for (int i = 0; i < 8; i++) {
                        scratch.full(new Shape(128, 16, 28, 28), Float.NaN);
                    }
                }
                for (int channels : new int[] {4, 8}) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray x = ChannelsLast.images(step, random(128 * channels * 28 * 28, rep), 128, channels,
                                28, 28);
                        NDArray w = step.randomNormal(new Shape(channels, channels, 3, 3)).mul(0.3f);
                        NDArray up = ChannelsLast.images(step, random(128 * channels * 28 * 28, rep + 100), 128,
                                channels, 28, 28);
                        x.setRequiresGradient(true);
                        w.setRequiresGradient(true);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                                    .singletonOrThrow();
                            gc.backward(y.mul(up).sum());
                        }
                        for (float v : x.getGradient().toFloatArray()) {
                            if (!Float.isFinite(v)) {
                                faulty++;
                                break;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(0, faulty, "repetitions with a non-finite input gradient");
    }
}
