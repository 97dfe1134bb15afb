package io.splicelab.model.data.corruptions;

import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.values.EvalSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.AbstractRandomGenerator;

/**
 * Common corruptions computed on the fly, seeded, at severities 1-5, with the CIFAR-10-C parameters of
 * Hendrycks and Dietterich (2019, {@code make_cifar_c.py}). An image is CHW floats in [0, 1]; the
 * result is clipped to [0, 1]. Every example gets its own random stream derived from (seed, index), so
 * a corrupted set does not depend on batching or order.
 *
 * <p>Over 400 lines on purpose: one short method per corruption of the reference script, side by side with its
 * severity table, so that each can be read against {@code make_cifar_c.py}; splitting them would scatter that.
 *
 * <p>The parameters are those of the 32 x 32 script. For other sizes (28 x 28 MNIST-like images) every
 * length in pixels is scaled by {@code f = min(h, w) / 32}: the defocus disk radius, the glass-blur
 * Gaussian sigma and shuffle distance (at least one pixel), the motion-blur radius and sigma of the image
 * and of the snow layer, and the elastic parameters (which the script already writes as fractions of the
 * image size); zoom factors are ratios and stay, and the fog's plasma map is the next power of two at
 * least as large as the image, cropped. The output is not quantised to 8 bits (the official files are),
 * except where the script quantises in the middle of a corruption (glass blur, the snow layer).
 */
public final class Corruptions {
    public static final double[] GAUSSIAN_SIGMA = {0.04, 0.06, 0.08, 0.09, 0.10};
    public static final double[] SHOT_PHOTONS = {500, 250, 100, 75, 50};
    public static final double[] IMPULSE_AMOUNT = {0.01, 0.02, 0.03, 0.05, 0.07};
    public static final double[] BRIGHTNESS_DELTA = {0.05, 0.1, 0.15, 0.2, 0.3};
    public static final double[] CONTRAST_FACTOR = {0.75, 0.5, 0.4, 0.3, 0.15};
    public static final double[] PIXELATE_SCALE = {0.95, 0.9, 0.85, 0.75, 0.65};
    public static final int[] JPEG_QUALITY = {80, 65, 58, 50, 40};
    /** Defocus blur: disk radius and its anti-aliasing Gaussian sigma (pixels at 32 x 32). */
    public static final double[][] DEFOCUS = {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1, 0.2}, {1.5, 0.1}};
    /** Glass blur: Gaussian sigma, maximum shuffle distance, shuffle passes. */
    public static final double[][] GLASS = {{0.05, 1, 1}, {0.25, 1, 1}, {0.4, 1, 1}, {0.25, 1, 2}, {0.4, 1, 2}};
    /** Motion blur: ImageMagick radius and sigma; the angle is uniform in [-45, 45) degrees. */
    public static final double[][] MOTION = {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}};
    /**
     * Zoom blur: the number of zoom factors {@code 1, 1.01, 1.02, ...} averaged with the image (numpy's
     * {@code arange(1, 1.06, 0.01)} and so on, whose floating-point ends give 7, 12, 16, 21, 26).
     */
    public static final int[] ZOOM_COUNT = {7, 12, 16, 21, 26};
    /**
     * Snow: layer mean, layer sd, layer zoom, threshold, motion radius, motion sigma, and the weight of
     * the image against its whitened copy; the motion angle is uniform in [-135, -45) degrees.
     */
    public static final double[][] SNOW = {{0.1, 0.2, 1, 0.6, 8, 3, 0.95}, {0.1, 0.2, 1, 0.5, 10, 4, 0.9},
        {0.15, 0.3, 1.75, 0.55, 10, 4, 0.9}, {0.25, 0.3, 2.25, 0.6, 12, 6, 0.85}, {0.3, 0.3, 1.25, 0.65, 14, 12, 0.8}};
    /** Fog: plasma amplitude and plasma decay. */
    public static final double[][] FOG = {{0.2, 3}, {0.5, 3}, {0.75, 2.5}, {1, 2}, {1.5, 1.75}};
    /**
     * Elastic transform, as fractions of the image size: displacement alpha, displacement smoothing sigma,
     * affine corner jitter.
     */
    public static final double[][] ELASTIC = {{0, 0, 0.08}, {0.05, 0.2, 0.07}, {0.08, 0.06, 0.06}, {0.1, 0.04, 0.05},
        {0.1, 0.03, 0.03}};

    /** The corruptions computed here, in the order of the CIFAR-10-C release. */
    public static final List<String> NAMES = EvalSet.COMPUTED_CORRUPTIONS;

    /**
     * Corruptions of the official CIFAR-10-C files that are not computed here: frost needs the
     * photographs of frost the script overlays; the four extra ones of the release are only read.
     */
    public static final List<String> FILE_ONLY = EvalSet.FILE_ONLY_CORRUPTIONS;

    private Corruptions() {
    }

    /**
     * A corrupted copy of a dataset named {@code <name>-<severity>}. Its pixels are normalised as
     * {@code (p - mean) / std} per channel with p in [0, 1]: they are mapped back to [0, 1] (clipped),
     * corrupted and normalised again.
     */
    public static ImageDataset apply(ImageDataset data, String name, int severity, long seed, float[] mean,
            float[] std) {
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int size = data.imageSize();
        float[] out = new float[data.pixels().length];
        float[] img = new float[size];
        for (int i = 0; i < data.size(); i++) {
            for (int k = 0; k < size; k++) {
                int ch = k / (h * w);
                img[k] = clip(data.pixels()[i * size + k] * std[ch] + mean[ch]);
            }
            float[] r = corrupt(name, severity, img, c, h, w, new SplittableRandom(mix(seed, name, severity, i)));
            for (int k = 0; k < size; k++) {
                int ch = k / (h * w);
                out[i * size + k] = (r[k] - mean[ch]) / std[ch];
            }
        }
        return new ImageDataset(name + "-" + severity, c, h, w, data.numClasses(), out, data.labels().clone(),
                data.splitIndices());
    }

    private static long mix(long seed, String name, int severity, int index) {
        long x = seed * 0x9E3779B97F4A7C15L + name.hashCode() * 31L + severity * 1_000_003L + index * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        return x;
    }

    /** One image, CHW in [0, 1]. */
    public static float[] corrupt(String name, int severity, float[] img, int c, int h, int w, SplittableRandom rnd) {
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException("severity must be 1..5, was " + severity);
        }
        int s = severity - 1;
        float[] out = new float[img.length];
        switch (name) {
            case "gaussian_noise" -> {
                for (int k = 0; k < img.length; k++) {
                    out[k] = clip(img[k] + GAUSSIAN_SIGMA[s] * gaussian(rnd));
                }
            }
            case "shot_noise" -> {
                AbstractRandomGenerator g = generator(rnd);
                double lam = SHOT_PHOTONS[s];
                for (int k = 0; k < img.length; k++) {
                    double mean = img[k] * lam;
                    double v = mean <= 0 ? 0
                            : new PoissonDistribution(g, mean, PoissonDistribution.DEFAULT_EPSILON,
                                    PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
                    out[k] = clip(v / lam);
                }
            }
            case "impulse_noise" -> {
                // skimage random_noise(mode='s&p', amount, salt_vs_pepper=0.5): each value independently
                double amount = IMPULSE_AMOUNT[s];
                for (int k = 0; k < img.length; k++) {
                    if (rnd.nextDouble() < amount) {
                        out[k] = rnd.nextBoolean() ? 1f : 0f;
                    } else {
                        out[k] = img[k];
                    }
                }
            }
            case "brightness" -> brightness(img, out, c, h * w, BRIGHTNESS_DELTA[s]);
            case "contrast" -> {
                double f = CONTRAST_FACTOR[s];
                for (int ch = 0; ch < c; ch++) {
                    double mean = 0;
                    for (int p = 0; p < h * w; p++) {
                        mean += img[ch * h * w + p];
                    }
                    mean /= h * w;
                    for (int p = 0; p < h * w; p++) {
                        out[ch * h * w + p] = clip((img[ch * h * w + p] - mean) * f + mean);
                    }
                }
            }
            case "pixelate" -> {
                int small = (int) (w * PIXELATE_SCALE[s]);
                int smallH = (int) (h * PIXELATE_SCALE[s]);
                for (int ch = 0; ch < c; ch++) {
                    float[] plane = new float[h * w];
                    System.arraycopy(img, ch * h * w, plane, 0, h * w);
                    float[] down = boxResize(plane, h, w, smallH, small);
                    float[] up = boxResize(down, smallH, small, h, w);
                    System.arraycopy(up, 0, out, ch * h * w, h * w);
                }
            }
            case "jpeg_compression" -> {
                return jpeg(img, c, h, w, JPEG_QUALITY[s]);
            }
            case "defocus_blur" -> {
                return defocusBlur(img, c, h, w, severity);
            }
            case "glass_blur" -> {
                return glassBlur(img, c, h, w, severity, rnd);
            }
            case "motion_blur" -> {
                double angle = -45 + 90 * rnd.nextDouble();
                return motionBlur(img, c, h, w, severity, angle);
            }
            case "zoom_blur" -> {
                return zoomBlur(img, c, h, w, severity);
            }
            case "snow" -> {
                return snow(img, c, h, w, severity, rnd);
            }
            case "fog" -> {
                return fog(img, c, h, w, severity, rnd);
            }
            case "elastic_transform" -> {
                return elastic(img, c, h, w, severity, rnd);
            }
            default -> throw new IllegalArgumentException("unknown corruption " + name + "; known: " + NAMES
                    + (FILE_ONLY.contains(name) ? " (" + name + " only from the official CIFAR-10-C files)" : ""));
        }
        return out;
    }

    /** The factor lengths in pixels of the 32 x 32 parameters are scaled by: {@code min(h, w) / 32}. */
    public static double scale(int h, int w) {
        return Math.min(h, w) / 32.0;
    }

    /**
     * The defocus kernel of a severity: the anti-aliased disk of radius {@code DEFOCUS[s][0]} (scaled),
     * on a 17 x 17 grid, summing to 1.
     */
    public static double[][] defocusKernel(int severity, int h, int w) {
        double[] p = DEFOCUS[severity - 1];
        return Filters.disk(p[0] * scale(h, w), p[1]);
    }

    /** Defocus blur: each channel correlated with the disk kernel (OpenCV filter2D, REFLECT_101 border). */
    static float[] defocusBlur(float[] img, int c, int h, int w, int severity) {
        double[][] k = defocusKernel(severity, h, w);
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            put(out, ch, Filters.filter2d(plane(img, ch, h, w), h, w, k, Filters.Border.REFLECT_101));
        }
        return out;
    }

    /**
     * Glass blur: a Gaussian blur (skimage, truncate 4, nearest border), quantised to 8 bits (floor, as
     * {@code np.uint8}), the pixels locally shuffled ({@link #glassPermutation}), and the Gaussian again.
     */
    static float[] glassBlur(float[] img, int c, int h, int w, int severity, SplittableRandom rnd) {
        double[] p = GLASS[severity - 1];
        double sigma = p[0] * scale(h, w);
        int[] perm = glassPermutation(h, w, glassDelta(severity, h, w), (int) p[2], rnd);
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            float[] g = Filters.gaussian(plane(img, ch, h, w), h, w, sigma, 4, Filters.Border.NEAREST);
            for (int k = 0; k < g.length; k++) {
                g[k] = (float) (Math.floor(clip(g[k]) * 255.0) / 255.0);
            }
            put(out, ch, Filters.gaussian(permute(g, perm), h, w, sigma, 4, Filters.Border.NEAREST));
        }
        return out;
    }

    /** The maximum shuffle distance of glass blur at an image size (at least one pixel). */
    static int glassDelta(int severity, int h, int w) {
        return Math.max(1, (int) Math.round(GLASS[severity - 1][1] * scale(h, w)));
    }

    /**
     * The local shuffle of glass blur: in each pass, for y from {@code h - d} down to {@code d + 1} and x
     * likewise, the pixel at (y, x) is swapped with the one at (y + dy, x + dx), dx and dy uniform integers
     * in [-d, d) (numpy's {@code randint(-d, d)}). Returns, for every position, the index of the input
     * pixel that ends there: a permutation.
     */
    static int[] glassPermutation(int h, int w, int d, int passes, SplittableRandom rnd) {
        int[] at = new int[h * w];
        for (int i = 0; i < at.length; i++) {
            at[i] = i;
        }
        for (int pass = 0; pass < passes; pass++) {
            for (int y = h - d; y > d; y--) {
                for (int x = w - d; x > d; x--) {
                    int dx = rnd.nextInt(-d, d);
                    int dy = rnd.nextInt(-d, d);
                    int a = y * w + x;
                    int b = (y + dy) * w + x + dx;
                    int t = at[a];
                    at[a] = at[b];
                    at[b] = t;
                }
            }
        }
        return at;
    }

    private static float[] permute(float[] plane, int[] perm) {
        float[] out = new float[plane.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = plane[perm[i]];
        }
        return out;
    }

    /**
     * The taps of the motion blur of a severity at an angle (degrees): rows {dx, dy, weight}, see
     * {@link Filters#motionTaps}.
     */
    public static double[][] motionTaps(int severity, int h, int w, double angle) {
        double[] p = MOTION[severity - 1];
        double f = scale(h, w);
        return Filters.motionTaps(p[0] * f, p[1] * f, angle);
    }

    /** Motion blur (ImageMagick's MotionBlurImage) of every channel at an angle in degrees. */
    static float[] motionBlur(float[] img, int c, int h, int w, int severity, double angle) {
        double[][] taps = motionTaps(severity, h, w, angle);
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            put(out, ch, Filters.motionBlur(plane(img, ch, h, w), h, w, taps));
        }
        return out;
    }

    /**
     * Zoom blur: the mean of the image and its centre zooms by {@code 1, 1.01, ...} ({@code ZOOM_COUNT}
     * factors; {@link Filters#clippedZoom}). Not random.
     */
    static float[] zoomBlur(float[] img, int c, int h, int w, int severity) {
        int n = ZOOM_COUNT[severity - 1];
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            float[] p = plane(img, ch, h, w);
            double[] sum = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                sum[k] = p[k];
            }
            for (int i = 0; i < n; i++) {
                float[] z = Filters.clippedZoom(p, h, w, 1 + i * 0.01);
                for (int k = 0; k < p.length; k++) {
                    sum[k] += z[k];
                }
            }
            float[] r = new float[p.length];
            for (int k = 0; k < p.length; k++) {
                r[k] = (float) (sum[k] / (n + 1));
            }
            put(out, ch, r);
        }
        return out;
    }

    /**
     * Snow: a Gaussian layer (mean, sd) zoomed, thresholded, quantised to 8 bits, motion-blurred at an
     * angle in [-135, -45) degrees; the image is pulled towards {@code max(x, 1.5 grey + 0.5)} and the
     * layer and its 180-degree rotation are added. Only ever brightens.
     */
    static float[] snow(float[] img, int c, int h, int w, int severity, SplittableRandom rnd) {
        double[] p = SNOW[severity - 1];
        double f = scale(h, w);
        int plane = h * w;
        float[] layer = new float[plane];
        for (int k = 0; k < plane; k++) {
            layer[k] = (float) (p[0] + p[1] * gaussian(rnd));
        }
        layer = Filters.clippedZoom(layer, h, w, p[2]);
        for (int k = 0; k < plane; k++) {
            layer[k] = layer[k] < p[3] ? 0f : (float) (Math.floor(clip(layer[k]) * 255.0) / 255.0);
        }
        double angle = -135 + 90 * rnd.nextDouble();
        layer = Filters.motionBlur(layer, h, w, Filters.motionTaps(p[4] * f, p[5] * f, angle));
        float[] out = new float[img.length];
        for (int q = 0; q < plane; q++) {
            double grey = c == 3 ? 0.299 * img[q] + 0.587 * img[plane + q] + 0.114 * img[2 * plane + q] : img[q];
            double snowAt = Math.round(layer[q] * 255.0) / 255.0 + Math.round(layer[plane - 1 - q] * 255.0) / 255.0;
            for (int ch = 0; ch < c; ch++) {
                double x = img[ch * plane + q];
                double blended = p[6] * x + (1 - p[6]) * Math.max(x, grey * 1.5 + 0.5);
                out[ch * plane + q] = clip(blended + snowAt);
            }
        }
        return out;
    }

    /**
     * Fog: a plasma fractal (seeded, {@link Filters#plasmaFractal}) times the severity's amplitude a is
     * added to every channel, and the image is scaled by {@code max / (max + a)} (max over the image), so
     * it stays in [0, max].
     */
    static float[] fog(float[] img, int c, int h, int w, int severity, SplittableRandom rnd) {
        double[] p = FOG[severity - 1];
        int size = 2;
        while (size < Math.max(h, w)) {
            size *= 2;
        }
        double[][] plasma = Filters.plasmaFractal(size, p[1], rnd);
        double max = 0;
        for (float v : img) {
            max = Math.max(max, v);
        }
        double scale = max / (max + p[0]);
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int k = ch * h * w + y * w + x;
                    out[k] = clip((img[k] + p[0] * plasma[y][x]) * scale);
                }
            }
        }
        return out;
    }

    /**
     * The random parts of an elastic transform: the affine map (2 x 3) of the three jittered anchor
     * points, and the displacement fields (pixels) added to the sampling coordinates.
     */
    record ElasticField(double[][] affine, float[] dx, float[] dy, double alpha, double jitter) {
    }

    /**
     * Draws the elastic transform of a severity: anchors {@code centre + (s, s)}, {@code centre + (s, -s)},
     * {@code centre - (s, s)} with {@code s = min(h, w) / 3}, each coordinate jittered by
     * {@code U(-jitter, jitter)}; displacements {@code alpha * G_sigma * U(-1, 1)} per pixel (scipy reflect
     * border, truncate 3), so |dx|, |dy| <= alpha.
     */
    static ElasticField elasticField(int severity, int h, int w, SplittableRandom rnd) {
        double[] p = ELASTIC[severity - 1];
        int size = Math.min(h, w);
        double alpha = p[0] * size;
        double sigma = p[1] * size;
        double jitter = p[2] * size;
        double c0 = h / 2;
        double c1 = w / 2;
        int sq = size / 3;
        double[][] src = {{c0 + sq, c1 + sq}, {c0 + sq, c1 - sq}, {c0 - sq, c1 - sq}};
        double[][] dst = new double[3][2];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                dst[i][j] = src[i][j] - jitter + 2 * jitter * rnd.nextDouble();
            }
        }
        double[][] affine = Filters.affineTransform(src, dst);
        float[][] d = new float[2][];
        for (int f = 0; f < 2; f++) {
            float[] u = new float[h * w];
            for (int k = 0; k < u.length; k++) {
                u[k] = (float) (-1 + 2 * rnd.nextDouble());
            }
            float[] g = Filters.gaussian(u, h, w, sigma, 3, Filters.Border.REFLECT);
            for (int k = 0; k < g.length; k++) {
                g[k] = (float) (g[k] * alpha);
            }
            d[f] = g;
        }
        return new ElasticField(affine, d[0], d[1], alpha, jitter);
    }

    /**
     * Elastic transform: the random affine warp (bilinear, REFLECT_101 border), then every pixel (y, x)
     * resampled at {@code (y + dy, x + dx)} (bilinear, scipy reflect border).
     */
    static float[] elastic(float[] img, int c, int h, int w, int severity, SplittableRandom rnd) {
        return elastic(img, c, h, w, elasticField(severity, h, w, rnd));
    }

    static float[] elastic(float[] img, int c, int h, int w, ElasticField field) {
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            float[] warped = Filters.warpAffine(plane(img, ch, h, w), h, w, field.affine(),
                    Filters.Border.REFLECT_101);
            float[] r = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int k = y * w + x;
                    r[k] = (float) Filters.bilinear(warped, h, w, y + field.dy()[k], x + field.dx()[k],
                            Filters.Border.REFLECT);
                }
            }
            put(out, ch, r);
        }
        return out;
    }

    private static float[] plane(float[] img, int ch, int h, int w) {
        float[] p = new float[h * w];
        System.arraycopy(img, ch * h * w, p, 0, h * w);
        return p;
    }

    /** Writes a channel, clipped to [0, 1]. */
    private static void put(float[] out, int ch, float[] plane) {
        int off = ch * plane.length;
        for (int k = 0; k < plane.length; k++) {
            out[off + k] = clip(plane[k]);
        }
    }

    /** HSV value channel + delta, clipped: hue and saturation kept (RGB scaled by V'/V). */
    private static void brightness(float[] img, float[] out, int c, int plane, double delta) {
        if (c != 3) {
            for (int k = 0; k < img.length; k++) {
                out[k] = clip(img[k] + delta);
            }
            return;
        }
        for (int p = 0; p < plane; p++) {
            float r = img[p];
            float g = img[plane + p];
            float b = img[2 * plane + p];
            double v = Math.max(r, Math.max(g, b));
            double v2 = Math.min(1, v + delta);
            if (v <= 0) {
                out[p] = out[plane + p] = out[2 * plane + p] = (float) v2;
            } else {
                double f = v2 / v;
                out[p] = clip(r * f);
                out[plane + p] = clip(g * f);
                out[2 * plane + p] = clip(b * f);
            }
        }
    }

    /** PIL-style BOX resampling of one plane (area weights when shrinking, nearest when enlarging). */
    static float[] boxResize(float[] in, int h, int w, int outH, int outW) {
        float[] tmp = new float[h * outW];
        for (int y = 0; y < h; y++) {
            resample1d(in, y * w, 1, w, tmp, y * outW, 1, outW);
        }
        float[] out = new float[outH * outW];
        for (int x = 0; x < outW; x++) {
            resample1d(tmp, x, outW, h, out, x, outW, outH);
        }
        return out;
    }

    private static void resample1d(float[] in, int inOff, int inStride, int n, float[] out, int outOff,
            int outStride, int m) {
        double scale = (double) n / m;
        double support = 0.5 * Math.max(scale, 1);
        for (int i = 0; i < m; i++) {
            double center = (i + 0.5) * scale;
            int from = (int) Math.max(0, Math.floor(center - support + 0.5));
            int to = (int) Math.min(n, Math.floor(center + support + 0.5));
            double sum = 0;
            double weights = 0;
            double ss = Math.max(scale, 1);
            for (int j = from; j < to; j++) {
                double x = (j - center + 0.5) / ss;
                double wgt = (x >= -0.5 && x < 0.5) ? 1 : 0;
                sum += wgt * in[inOff + j * inStride];
                weights += wgt;
            }
            out[outOff + i * outStride] = (float) (weights == 0 ? in[inOff + Math.min(n - 1, (int) center) * inStride]
                    : sum / weights);
        }
    }

    /** A JPEG round trip at a quality (0-100), through javax.imageio (libjpeg's quality scaling). */
    public static float[] jpeg(float[] img, int c, int h, int w, int quality) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int r = to8(img[p]);
                int g = c == 3 ? to8(img[plane + p]) : r;
                int b = c == 3 ? to8(img[2 * plane + p]) : r;
                bi.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(bi, null, null), param);
            }
            writer.dispose();
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
            float[] out = new float[img.length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = back.getRGB(x, y);
                    int p = y * w + x;
                    if (c == 3) {
                        out[p] = ((rgb >> 16) & 255) / 255f;
                        out[plane + p] = ((rgb >> 8) & 255) / 255f;
                        out[2 * plane + p] = (rgb & 255) / 255f;
                    } else {
                        out[p] = ((rgb >> 16) & 255) / 255f;
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    static float clip(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static AbstractRandomGenerator generator(SplittableRandom rnd) {
        return new AbstractRandomGenerator() {
            @Override
            public void setSeed(long seed) {
                // the stream is derived from (seed, corruption, severity, image) once; reseeding it would break that
                throw new UnsupportedOperationException("a corruption's random stream cannot be reseeded");
            }

            @Override
            public double nextDouble() {
                return rnd.nextDouble();
            }
        };
    }
}
