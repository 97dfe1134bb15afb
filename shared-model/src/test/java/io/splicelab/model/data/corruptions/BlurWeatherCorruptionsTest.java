package io.splicelab.model.data.corruptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The blur, weather and elastic corruptions, each by its defining property. */
class BlurWeatherCorruptionsTest {
    static final int C = 3;
    static final int H = 32;
    static final int W = 32;
    static final int PLANE = H * W;

    static float[] random(long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] img = new float[C * PLANE];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (r.nextDouble() * scale);
        }
        return img;
    }

    static float[] delta(int y, int x) {
        float[] img = new float[C * PLANE];
        for (int ch = 0; ch < C; ch++) {
            img[ch * PLANE + y * W + x] = 1;
        }
        return img;
    }

    static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    @Test
    void defocusBlurTurnsADeltaIntoTheSeveritysDisk() {
        double previousSpread = -1;
        for (int s = 1; s <= 5; s++) {
            double[][] k = Corruptions.defocusKernel(s, H, W);
            assertEquals(17, k.length);
            double radius = Corruptions.DEFOCUS[s - 1][0];
            double sum = 0;
            double spread = 0;
            for (int y = -8; y <= 8; y++) {
                for (int x = -8; x <= 8; x++) {
                    double v = k[y + 8][x + 8];
                    sum += v;
                    spread += v * (x * x + y * y);
                    if (Math.max(Math.abs(x), Math.abs(y)) > Math.ceil(radius) + 1) {
                        assertEquals(0, v, "severity " + s + ": nothing beyond the disk and its anti-aliasing");
                    }
                }
            }
            assertEquals(1, sum, 1e-6);
            assertEquals(k[8][9], k[9][8], 1e-7, "round");
            assertTrue(k[8][8] >= k[8][9], "peak at the centre");
            assertTrue(spread > previousSpread, "severity " + s + " blurs more");
            previousSpread = spread;

            float[] out = Corruptions.corrupt("defocus_blur", s, delta(16, 16), C, H, W, new SplittableRandom(0));
            for (int ch = 0; ch < C; ch++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        int dy = y - 16;
                        int dx = x - 16;
                        double expected = Math.abs(dy) <= 8 && Math.abs(dx) <= 8 ? k[dy + 8][dx + 8] : 0;
                        assertEquals(expected, out[ch * PLANE + y * W + x], 1e-6);
                    }
                }
            }
        }
        // a radius of 1 is the 5-pixel cross before anti-aliasing; sigma 0.2 barely spreads it
        double[][] cross = Filters.disk(1, 0.2);
        assertEquals(0.2, cross[8][8], 1e-4);
        assertEquals(0.2, cross[7][8], 1e-4);
        assertEquals(0, cross[7][7], 1e-4);
    }

    @Test
    void glassBlurIsALocalPermutationOfThePixelsBetweenTwoGaussians() {
        // severity 1: sigma 0.05 gives a one-tap Gaussian, so the result is exactly the shuffled 8-bit image
        float[] img = random(1, 1);
        float[] out = Corruptions.corrupt("glass_blur", 1, img, C, H, W, new SplittableRandom(5));
        int[] perm = Corruptions.glassPermutation(H, W, 1, 1, new SplittableRandom(5));
        boolean[] seen = new boolean[PLANE];
        for (int p : perm) {
            assertFalse(seen[p], "a permutation");
            seen[p] = true;
        }
        int moved = 0;
        for (int ch = 0; ch < C; ch++) {
            for (int q = 0; q < PLANE; q++) {
                float quantised = (float) (Math.floor(img[ch * PLANE + perm[q]] * 255.0) / 255.0);
                assertEquals(quantised, out[ch * PLANE + q], 1e-6);
                moved += perm[q] != q ? 1 : 0;
            }
        }
        assertTrue(moved > PLANE / 2, "most pixels take part in a swap: " + moved);
        for (int q = 0; q < W; q++) {
            assertEquals(q, perm[q], "row 0 is outside the shuffled range");
            assertEquals(q * W, perm[q * W], "column 0 too");
        }
        // the whole image keeps its pixels: sorted values agree
        float[] a = Arrays.copyOf(out, PLANE);
        float[] b = new float[PLANE];
        for (int q = 0; q < PLANE; q++) {
            b[q] = (float) (Math.floor(img[q] * 255.0) / 255.0);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(b, a, 1e-6f);
        // severities with sigma 0.4 blur visibly: less high-frequency energy than the input; all seeded
        for (int s = 2; s <= 5; s++) {
            float[] o = Corruptions.corrupt("glass_blur", s, img, C, H, W, new SplittableRandom(5));
            if (Corruptions.GLASS[s - 1][0] >= 0.4) {
                assertTrue(roughness(o) < 0.9 * roughness(img), "severity " + s);
            }
            assertArrayEquals(o, Corruptions.corrupt("glass_blur", s, img, C, H, W, new SplittableRandom(5)));
        }
    }

    static double roughness(float[] img) {
        double s = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 1; x < W; x++) {
                double d = img[y * W + x] - img[y * W + x - 1];
                s += d * d;
            }
        }
        return s;
    }

    @Test
    void motionBlurSpreadsADeltaAlongALineOfTheSeveritysLength() {
        double previous = -1;
        for (int s = 1; s <= 5; s++) {
            int width = (int) (2 * Math.ceil(Corruptions.MOTION[s - 1][0]) + 1);
            double[][] taps = Corruptions.motionTaps(s, H, W, 0);
            assertEquals(width, taps.length);
            float[] out = Corruptions.motionBlur(delta(16, 24), C, H, W, s, 0);
            double sum = 0;
            int nonZero = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    float v = out[y * W + x];
                    sum += v;
                    if (v != 0) {
                        nonZero++;
                        assertEquals(16, y, "stays on the row");
                        int i = 24 - x;
                        assertTrue(i >= 0 && i < width, "behind the point, within the length: " + x);
                        assertEquals(taps[i][2], v, 1e-6);
                    }
                }
            }
            assertEquals(width, nonZero);
            assertEquals(1, sum, 1e-5);
            double spread = 0;
            for (double[] t : taps) {
                spread += t[2] * (t[0] * t[0] + t[1] * t[1]);
            }
            assertTrue(spread >= previous, "severity " + s + " spreads no less");
            previous = spread;
        }
        // any angle: every tap lies on the line at that angle
        double angle = 33;
        float[] out = Corruptions.motionBlur(delta(20, 24), C, H, W, 5, angle);
        double a = Math.toRadians(angle);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (out[y * W + x] != 0) {
                    double dx = 24 - x;
                    double dy = 20 - y;
                    double off = Math.abs(-Math.sin(a) * dx + Math.cos(a) * dy);
                    assertTrue(off <= Math.sqrt(0.5) + 1e-9, "on the line: " + x + "," + y);
                    assertTrue(dx * Math.cos(a) + dy * Math.sin(a) >= -1e-9, "one-sided");
                }
            }
        }
        // the corruption draws its angle in [-45, 45) from the stream
        float[] img = random(2, 1);
        assertArrayEquals(Corruptions.corrupt("motion_blur", 3, img, C, H, W, new SplittableRandom(9)),
                Corruptions.corrupt("motion_blur", 3, img, C, H, W, new SplittableRandom(9)));
    }

    @Test
    void zoomBlurKeepsTheCentresNeighbourhoodAndGrowsWithSeverity() {
        float[] img = random(3, 1);
        for (int ch = 0; ch < C; ch++) {
            for (int y = 12; y < 20; y++) {
                for (int x = 12; x < 20; x++) {
                    img[ch * PLANE + y * W + x] = 0.7f;
                }
            }
        }
        double previous = 0;
        for (int s = 1; s <= 5; s++) {
            float[] out = Corruptions.corrupt("zoom_blur", s, img, C, H, W, new SplittableRandom(0));
            assertArrayEquals(out, Corruptions.corrupt("zoom_blur", s, img, C, H, W, new SplittableRandom(1)),
                    "not random");
            for (int ch = 0; ch < C; ch++) {
                for (int y = 15; y <= 16; y++) {
                    for (int x = 15; x <= 16; x++) {
                        assertEquals(0.7, out[ch * PLANE + y * W + x], 1e-5, "centre kept");
                    }
                }
            }
            double err = meanAbsDiff(out, img);
            assertTrue(err > previous, "severity " + s);
            previous = err;
        }
        float[] flat = new float[C * PLANE];
        Arrays.fill(flat, 0.3f);
        assertArrayEquals(flat, Corruptions.corrupt("zoom_blur", 5, flat, C, H, W, new SplittableRandom(0)), 1e-6f);
    }

    @Test
    void clippedZoomGaussianAndSamplingAgreeWithScipy() {
        // reference values from scipy.ndimage 1.17 (zoom order 1, gaussian_filter reflect truncate 3,
        // map_coordinates order 1 reflect) on the same 6 x 6 image
        float[] img = {0f, 0.20857142857142855f, 0.41714285714285709f, 0.62571428571428567f, 0.83428571428571419f,
            0.042857142857142705f, 0.25142857142857133f, 0.45999999999999996f, 0.66857142857142837f,
            0.877142857142857f, 0.08571428571428541f, 0.29428571428571404f, 0.50285714285714267f,
            0.7114285714285713f, 0.91999999999999993f, 0.12857142857142811f, 0.33714285714285674f,
            0.54571428571428537f, 0.754285714285714f, 0.96285714285714263f, 0.17142857142857082f,
            0.37999999999999989f, 0.58857142857142808f, 0.79714285714285715f, 0.0057142857142853387f,
            0.21428571428571441f, 0.4228571428571426f, 0.63142857142857167f, 0.83999999999999986f,
            0.048571428571428932f, 0.25714285714285623f, 0.4657142857142853f, 0.67428571428571349f,
            0.88285714285714256f, 0.091428571428570748f, 0.29999999999999982f};
        float[] zoom = {0.000000f, 0.139048f, 0.278095f, 0.417143f, 0.556190f, 0.695238f, 0.167619f, 0.306667f,
            0.445714f, 0.584762f, 0.723810f, 0.640635f, 0.335238f, 0.474286f, 0.613333f, 0.752381f, 0.669206f,
            0.474921f, 0.502857f, 0.641905f, 0.780952f, 0.920000f, 0.392381f, 0.198095f, 0.670476f, 0.809524f,
            0.726349f, 0.420952f, 0.337778f, 0.365714f, 0.504762f, 0.643810f, 0.560635f, 0.255238f, 0.394286f,
            0.533333f};
        float[] gauss = {0.165585f, 0.305561f, 0.483896f, 0.582190f, 0.488137f, 0.286424f, 0.333638f, 0.457322f,
            0.566363f, 0.542397f, 0.420496f, 0.335199f, 0.528635f, 0.597151f, 0.576018f, 0.469727f, 0.429805f,
            0.466767f, 0.532076f, 0.560064f, 0.503119f, 0.471588f, 0.506602f, 0.523255f, 0.338625f, 0.422304f,
            0.496155f, 0.546942f, 0.499988f, 0.393853f, 0.281048f, 0.412828f, 0.568969f, 0.593129f, 0.423099f,
            0.291045f};
        assertArrayEquals(zoom, Filters.clippedZoom(img, 6, 6, 1.4), 2e-6f);
        assertArrayEquals(gauss, Filters.gaussian(img, 6, 6, 0.9, 3, Filters.Border.REFLECT), 2e-6f);
        double[][] points = {{-0.7, 1.5}, {2.3, -1.2}, {5.6, 3.3}, {0.2, 6.4}};
        double[] expected = {0.312857, 0.620000, 0.645429, 0.329714};
        for (int i = 0; i < points.length; i++) {
            assertEquals(expected[i], Filters.bilinear(img, 6, 6, points[i][0], points[i][1],
                    Filters.Border.REFLECT), 2e-6);
        }
    }

    @Test
    void snowOnlyBrightensWithTheSameFlakesInEveryChannel() {
        float[] img = random(4, 0.6f);
        for (int s = 1; s <= 5; s++) {
            double[] p = Corruptions.SNOW[s - 1];
            float[] out = Corruptions.corrupt("snow", s, img, C, H, W, new SplittableRandom(11));
            assertArrayEquals(out, Corruptions.corrupt("snow", s, img, C, H, W, new SplittableRandom(11)));
            double gain = 0;
            int flakes = 0;
            for (int q = 0; q < PLANE; q++) {
                double grey = 0.299 * img[q] + 0.587 * img[PLANE + q] + 0.114 * img[2 * PLANE + q];
                double[] added = new double[C];
                boolean clipped = false;
                for (int ch = 0; ch < C; ch++) {
                    int k = ch * PLANE + q;
                    assertTrue(out[k] >= img[k] - 1e-6, "brightens");
                    gain += out[k] - img[k];
                    double blended = p[6] * img[k] + (1 - p[6]) * Math.max(img[k], grey * 1.5 + 0.5);
                    added[ch] = out[k] - blended;
                    clipped |= out[k] >= 1f;
                }
                if (!clipped) {
                    assertTrue(added[0] >= -1e-6, "a non-negative snow layer");
                    assertEquals(added[0], added[1], 1e-5, "grey flakes");
                    assertEquals(added[0], added[2], 1e-5, "grey flakes");
                    flakes += added[0] > 1e-3 ? 1 : 0;
                }
            }
            assertTrue(gain > 0);
            assertTrue(flakes > 0, "severity " + s + " has flakes");
        }
        assertFalse(Arrays.equals(Corruptions.corrupt("snow", 3, img, C, H, W, new SplittableRandom(11)),
                Corruptions.corrupt("snow", 3, img, C, H, W, new SplittableRandom(12))));
    }

    @Test
    void fogAddsOneNonNegativePlasmaFieldAndStaysInRange() {
        float[] img = random(5, 0.9f);
        double max = 0;
        for (float v : img) {
            max = Math.max(max, v);
        }
        for (int s = 1; s <= 5; s++) {
            double a = Corruptions.FOG[s - 1][0];
            float[] out = Corruptions.corrupt("fog", s, img, C, H, W, new SplittableRandom(21));
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int q = 0; q < PLANE; q++) {
                double field = out[q] * (max + a) / max - img[q];
                for (int ch = 1; ch < C; ch++) {
                    int k = ch * PLANE + q;
                    assertEquals(field, out[k] * (max + a) / max - img[k], 1e-5, "the same field in every channel");
                }
                lo = Math.min(lo, field);
                hi = Math.max(hi, field);
            }
            for (float v : out) {
                assertTrue(v >= 0 && v <= max + 1e-6, "in [0, max]");
            }
            assertEquals(0, lo, 1e-5, "the field is non-negative, its minimum 0");
            assertEquals(a, hi, 1e-5 * (1 + a), "its maximum the severity's amplitude");
            assertArrayEquals(out, Corruptions.corrupt("fog", s, img, C, H, W, new SplittableRandom(21)));
        }
        assertFalse(Arrays.equals(Corruptions.corrupt("fog", 2, img, C, H, W, new SplittableRandom(21)),
                Corruptions.corrupt("fog", 2, img, C, H, W, new SplittableRandom(22))));
        double[][] plasma = Filters.plasmaFractal(32, 2, new SplittableRandom(1));
        double pMin = 1;
        double pMax = 0;
        for (double[] row : plasma) {
            for (double v : row) {
                pMin = Math.min(pMin, v);
                pMax = Math.max(pMax, v);
            }
        }
        assertEquals(0, pMin);
        assertEquals(1, pMax);
        assertThrows(IllegalArgumentException.class, () -> Filters.plasmaFractal(24, 2, new SplittableRandom(1)));
    }

    @Test
    void elasticDisplacementIsBoundedByTheSeveritysAlpha() {
        for (int s = 1; s <= 5; s++) {
            Corruptions.ElasticField f = Corruptions.elasticField(s, H, W, new SplittableRandom(s));
            assertEquals(Corruptions.ELASTIC[s - 1][0] * 32, f.alpha(), 1e-9);
            double most = 0;
            for (int k = 0; k < PLANE; k++) {
                most = Math.max(most, Math.max(Math.abs(f.dx()[k]), Math.abs(f.dy()[k])));
            }
            assertTrue(most <= f.alpha() + 1e-5, "severity " + s + ": " + most + " > " + f.alpha());
            assertEquals(s == 1, most == 0, "severity 1 has no elastic part");
            // the affine part moves the anchors by at most the jitter
            int sq = 32 / 3;
            double[][] anchors = {{16 + sq, 16 + sq}, {16 + sq, 16 - sq}, {16 - sq, 16 - sq}};
            for (double[] pt : anchors) {
                double x = f.affine()[0][0] * pt[0] + f.affine()[0][1] * pt[1] + f.affine()[0][2];
                double y = f.affine()[1][0] * pt[0] + f.affine()[1][1] * pt[1] + f.affine()[1][2];
                assertTrue(Math.abs(x - pt[0]) <= f.jitter() + 1e-9 && Math.abs(y - pt[1]) <= f.jitter() + 1e-9);
            }
        }
        // the sampling itself: identity is the identity, a one-pixel shift in x shifts a ramp
        float[] ramp = new float[C * PLANE];
        for (int ch = 0; ch < C; ch++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    ramp[ch * PLANE + y * W + x] = x / 64f + y / 128f;
                }
            }
        }
        double[][] identity = {{1, 0, 0}, {0, 1, 0}};
        float[] zero = new float[PLANE];
        float[] one = new float[PLANE];
        Arrays.fill(one, 1f);
        assertArrayEquals(ramp, Corruptions.elastic(ramp, C, H, W,
                new Corruptions.ElasticField(identity, zero, zero, 0, 0)), 1e-6f);
        float[] shifted = Corruptions.elastic(ramp, C, H, W, new Corruptions.ElasticField(identity, one, zero, 1, 0));
        assertEquals(ramp[5 * W + 11], shifted[5 * W + 10], 1e-6);
        float[] flat = new float[C * PLANE];
        Arrays.fill(flat, 0.4f);
        for (int s = 1; s <= 5; s++) {
            assertArrayEquals(flat, Corruptions.corrupt("elastic_transform", s, flat, C, H, W,
                    new SplittableRandom(3)), 1e-6f);
        }
    }

    @Test
    void everyCorruptionIsSeededBoundedAndWorksOnSmallGreyImages() {
        float[] img = random(6, 1);
        float[] grey = new float[28 * 28];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (float) r.nextDouble();
        }
        for (String name : Corruptions.NAMES) {
            for (int s = 1; s <= 5; s++) {
                float[] a = Corruptions.corrupt(name, s, img, C, H, W, new SplittableRandom(42));
                assertArrayEquals(a, Corruptions.corrupt(name, s, img, C, H, W, new SplittableRandom(42)), name);
                for (float v : a) {
                    assertTrue(v >= 0 && v <= 1, name + "-" + s);
                }
                float[] g = Corruptions.corrupt(name, s, grey, 1, 28, 28, new SplittableRandom(42));
                assertEquals(grey.length, g.length);
                for (float v : g) {
                    assertTrue(v >= 0 && v <= 1 && !Float.isNaN(v), name + "-" + s + " at 28x28");
                }
            }
        }
        assertEquals(14, Corruptions.NAMES.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Corruptions.corrupt("frost", 1, img, C, H, W, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("official"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Corruptions.corrupt("fog", 6, img, C, H, W, new SplittableRandom(0)));
    }
}
