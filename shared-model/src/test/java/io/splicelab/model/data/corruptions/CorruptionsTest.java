package io.splicelab.model.data.corruptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CorruptionsTest {
    static final int C = 3;
    static final int H = 32;
    static final int W = 32;

    static float[] constant(float v) {
        float[] img = new float[C * H * W];
        java.util.Arrays.fill(img, v);
        return img;
    }

    static float[] random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] img = new float[C * H * W];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) r.nextDouble();
        }
        return img;
    }

    /** The outputs of {@code reps} corruptions of {@code img} (seeds 0, 1, ...), one after the other. */
    static float[] repeated(String corruption, int severity, float[] img, int reps) {
        float[] all = new float[reps * img.length];
        for (int rep = 0; rep < reps; rep++) {
            float[] out = Corruptions.corrupt(corruption, severity, img, C, H, W, new SplittableRandom(rep));
            System.arraycopy(out, 0, all, rep * img.length, img.length);
        }
        return all;
    }

    @Test
    void gaussianNoiseHasTheSeveritysSigma() {
        for (int s = 1; s <= 5; s++) {
            double sum = 0;
            double sq = 0;
            float[] out = repeated("gaussian_noise", s, constant(0.5f), 20);
            for (float v : out) {
                double d = v - 0.5f;
                sum += d;
                sq += d * d;
            }
            int n = out.length;
            double mean = sum / n;
            double sd = Math.sqrt(sq / n - mean * mean);
            assertEquals(0, mean, 0.002);
            assertEquals(Corruptions.GAUSSIAN_SIGMA[s - 1], sd, 0.02 * Corruptions.GAUSSIAN_SIGMA[s - 1]);
        }
    }

    @Test
    void shotNoiseIsPoissonWithTheSeveritysPhotonCount() {
        for (int s = 1; s <= 5; s++) {
            double lam = Corruptions.SHOT_PHOTONS[s - 1];
            double sum = 0;
            double sq = 0;
            float[] out = repeated("shot_noise", s, constant(0.4f), 10);
            for (float v : out) {
                double counts = v * lam;
                assertEquals(Math.round(counts), counts, 1e-3, "integer photon counts / lambda");
                sum += v;
                sq += v * v;
            }
            int n = out.length;
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertEquals(0.4, mean, 0.01);
            assertEquals(0.4 / lam, var, 0.05 * 0.4 / lam, "variance x / lambda");
        }
    }

    @Test
    void impulseNoiseSetsTheSeveritysFractionToZeroOrOne() {
        float[] img = constant(0.5f);
        for (int s = 1; s <= 5; s++) {
            int changed = 0;
            int salt = 0;
            float[] out = repeated("impulse_noise", s, img, 20);
            for (float v : out) {
                assertTrue(v == 0.5f || v == 0f || v == 1f);
                changed += v != 0.5f ? 1 : 0;
                salt += v == 1f ? 1 : 0;
            }
            assertEquals(Corruptions.IMPULSE_AMOUNT[s - 1], (double) changed / out.length, 0.004);
            assertEquals(0.5, (double) salt / changed, 0.06);
        }
    }

    @Test
    void contrastScalesDeviationsFromTheChannelMean() {
        float[] img = random(3);
        for (int s = 1; s <= 5; s++) {
            float[] out = Corruptions.corrupt("contrast", s, img, C, H, W, new SplittableRandom(0));
            for (int ch = 0; ch < C; ch++) {
                double mean = IntStream.range(ch * H * W, (ch + 1) * H * W).mapToDouble(k -> img[k]).average()
                        .orElseThrow();
                for (int p = 0; p < H * W; p++) {
                    int k = ch * H * W + p;
                    assertEquals((img[k] - mean) * Corruptions.CONTRAST_FACTOR[s - 1] + mean, out[k], 1e-6);
                }
            }
        }
    }

    @Test
    void brightnessRaisesTheHsvValueAndKeepsTheHue() {
        float[] img = random(4);
        for (int i = 0; i < img.length; i++) {
            img[i] *= 0.6f; // no clipping of V + delta
        }
        int plane = H * W;
        for (int s = 1; s <= 5; s++) {
            float[] out = Corruptions.corrupt("brightness", s, img, C, H, W, new SplittableRandom(0));
            for (int p = 0; p < plane; p++) {
                double v = Math.max(img[p], Math.max(img[plane + p], img[2 * plane + p]));
                double v2 = Math.max(out[p], Math.max(out[plane + p], out[2 * plane + p]));
                assertEquals(v + Corruptions.BRIGHTNESS_DELTA[s - 1], v2, 1e-5);
                // same ratios between channels: same hue and saturation
                assertEquals(img[p] / v, out[p] / v2, 1e-4);
                assertEquals(img[plane + p] / v, out[plane + p] / v2, 1e-4);
            }
        }
    }

    @Test
    void pixelateLeavesAtMostTheLowResolutionsDistinctColours() {
        float[] img = random(5);
        for (int s = 1; s <= 5; s++) {
            float[] out = Corruptions.corrupt("pixelate", s, img, C, H, W, new SplittableRandom(0));
            int small = (int) (W * Corruptions.PIXELATE_SCALE[s - 1]);
            Set<String> colours = new HashSet<>();
            for (int p = 0; p < H * W; p++) {
                colours.add(out[p] + "," + out[H * W + p] + "," + out[2 * H * W + p]);
            }
            assertTrue(colours.size() <= small * small, "severity " + s + ": " + colours.size());
            assertTrue(colours.size() > small * small / 2);
        }
        // an integer factor is a block mean
        float[] down = Corruptions.boxResize(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 4, 4,
                2, 2);
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, down, 1e-6f);
    }

    @Test
    void jpegIsARoundTripAtTheSeveritysQuality() {
        float[] img = random(6);
        double previous = 0;
        for (int s = 1; s <= 5; s++) {
            float[] out = Corruptions.corrupt("jpeg_compression", s, img, C, H, W, new SplittableRandom(0));
            assertArrayEquals(Corruptions.jpeg(img, C, H, W, Corruptions.JPEG_QUALITY[s - 1]), out);
            for (float v : out) {
                assertEquals(Math.round(v * 255) / 255f, v, 1e-6, "8-bit values");
            }
            double err = 0;
            for (int k = 0; k < img.length; k++) {
                err += Math.abs(out[k] - img[k]);
            }
            assertTrue(err > previous * 0.95, "lower quality, no smaller error");
            previous = err;
        }
    }

    @Test
    void aCorruptedSetIsSeededAndNamedAndKeepsLabels() {
        ImageDataset test = SyntheticImages.split("test", 20);
        float[] mean = {0.5f, 0.5f, 0.5f};
        float[] std = {0.2f, 0.2f, 0.2f};
        ImageDataset a = Corruptions.apply(test, "gaussian_noise", 3, 7, mean, std);
        ImageDataset b = Corruptions.apply(test, "gaussian_noise", 3, 7, mean, std);
        ImageDataset c = Corruptions.apply(test, "gaussian_noise", 3, 8, mean, std);
        assertEquals("gaussian_noise-3", a.name());
        assertArrayEquals(a.pixels(), b.pixels());
        assertNotEquals(a.pixels()[0], c.pixels()[0]);
        assertArrayEquals(test.labels(), a.labels());
    }
}
