package io.splicelab.model.data.corruptions;

import io.splicelab.model.data.ImageDataset;
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
 */
public final class Corruptions {
    public static final double[] GAUSSIAN_SIGMA = {0.04, 0.06, 0.08, 0.09, 0.10};
    public static final double[] SHOT_PHOTONS = {500, 250, 100, 75, 50};
    public static final double[] IMPULSE_AMOUNT = {0.01, 0.02, 0.03, 0.05, 0.07};
    public static final double[] BRIGHTNESS_DELTA = {0.05, 0.1, 0.15, 0.2, 0.3};
    public static final double[] CONTRAST_FACTOR = {0.75, 0.5, 0.4, 0.3, 0.15};
    public static final double[] PIXELATE_SCALE = {0.95, 0.9, 0.85, 0.75, 0.65};
    public static final int[] JPEG_QUALITY = {80, 65, 58, 50, 40};

    /** The corruptions computed here (the others of CIFAR-10-C come only from the official files). */
    public static final List<String> NAMES = List.of("gaussian_noise", "shot_noise", "impulse_noise", "brightness",
            "contrast", "pixelate", "jpeg_compression");

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
        return new ImageDataset(name + "-" + severity, c, h, w, data.numClasses(), out, data.labels().clone());
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
            default -> throw new IllegalArgumentException("unknown corruption " + name + "; known: " + NAMES);
        }
        return out;
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
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return rnd.nextDouble();
            }
        };
    }
}
