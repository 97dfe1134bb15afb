package io.splicelab.model.data.corruptions;

import java.util.SplittableRandom;

/**
 * The image operations the blur, weather and elastic corruptions are built from, on single planes
 * (row-major, {@code h x w} floats), in pure Java. Each one names the library operation of
 * {@code make_cifar_c.py} it stands for and its border rule, so that the corruptions follow the
 * reference construction rather than an approximation of its look. (Over 400 lines: one small operation each,
 * kept together because they share their border rules.)
 */
final class Filters {
    private Filters() {
    }

    /** Border rules: how an index outside [0, n) is mapped inside. */
    enum Border {
        /** scipy {@code reflect} (half-sample symmetric): d c b a | a b c d | d c b a. */
        REFLECT,
        /** OpenCV {@code BORDER_REFLECT_101} (whole-sample symmetric): d c b | a b c d | c b a. */
        REFLECT_101,
        /** scipy {@code nearest}, ImageMagick's edge virtual pixels: a a | a b c d | d d. */
        NEAREST;

        int index(int i, int n) {
            if (n == 1) {
                return 0;
            }
            switch (this) {
                case NEAREST -> {
                    return Math.max(0, Math.min(n - 1, i));
                }
                case REFLECT -> {
                    int period = 2 * n;
                    int m = Math.floorMod(i, period);
                    return m < n ? m : period - 1 - m;
                }
                default -> {
                    int period = 2 * n - 2;
                    int m = Math.floorMod(i, period);
                    return m < n ? m : period - m;
                }
            }
        }
    }

    /**
     * A separable Gaussian filter, as scipy's {@code gaussian_filter} (and skimage's {@code gaussian},
     * which calls it): weights {@code exp(-x^2 / 2 sigma^2)} for |x| up to {@code int(truncate sigma +
     * 0.5)}, normalised. sigma 0 is the identity.
     */
    static float[] gaussian(float[] plane, int h, int w, double sigma, double truncate, Border border) {
        if (sigma <= 0) {
            return plane.clone();
        }
        int radius = (int) (truncate * sigma + 0.5);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return separable(plane, h, w, k, k, border);
    }

    /** Correlation with a row kernel then a column kernel (both odd-sized, centred). */
    static float[] separable(float[] plane, int h, int w, double[] rowKernel, double[] colKernel, Border border) {
        int rr = rowKernel.length / 2;
        int rc = colKernel.length / 2;
        float[] tmp = eachPixel(h, w, (y, x) -> {
            double s = 0;
            for (int j = -rr; j <= rr; j++) {
                s += rowKernel[j + rr] * plane[y * w + border.index(x + j, w)];
            }
            return s;
        });
        return eachPixel(h, w, (y, x) -> {
            double s = 0;
            for (int j = -rc; j <= rc; j++) {
                s += colKernel[j + rc] * tmp[border.index(y + j, h) * w + x];
            }
            return s;
        });
    }

    /** 2-D correlation with a centred odd-sized kernel (OpenCV {@code filter2D}, anchor at the centre). */
    static float[] filter2d(float[] plane, int h, int w, double[][] kernel, Border border) {
        int r = kernel.length / 2;
        return eachPixel(h, w, (y, x) -> {
            double s = 0;
            for (int dy = -r; dy <= r; dy++) {
                int yy = border.index(y + dy, h) * w;
                double[] row = kernel[dy + r];
                for (int dx = -r; dx <= r; dx++) {
                    double k = row[dx + r];
                    if (k != 0) {
                        s += k * plane[yy + border.index(x + dx, w)];
                    }
                }
            }
            return s;
        });
    }

    /** The value of one output pixel, computed in double precision. */
    @FunctionalInterface
    interface PixelValue {
        double at(int y, int x);
    }

    /** An h x w plane (row-major) whose every pixel is {@code value} at it, rounded to float. */
    static float[] eachPixel(int h, int w, PixelValue value) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) value.at(y, x);
            }
        }
        return out;
    }

    /**
     * The anti-aliased disk of {@code make_cifar_c.py}: on the grid -8..8 (-r..r beyond radius 8), the
     * indicator of {@code x^2 + y^2 <= r^2} normalised to sum 1, then an OpenCV Gaussian blur of size 3
     * (5 beyond radius 8) with sigma {@code aliasBlur} and border REFLECT_101.
     */
    static double[][] disk(double radius, double aliasBlur) {
        int half = radius <= 8 ? 8 : (int) Math.ceil(radius);
        int ksize = radius <= 8 ? 3 : 5;
        int n = 2 * half + 1;
        float[] d = new float[n * n];
        double count = 0;
        for (int y = -half; y <= half; y++) {
            for (int x = -half; x <= half; x++) {
                if (x * x + y * y <= radius * radius) {
                    d[(y + half) * n + x + half] = 1;
                    count++;
                }
            }
        }
        for (int i = 0; i < d.length; i++) {
            d[i] /= count;
        }
        double[] g = openCvGaussianKernel(ksize, aliasBlur);
        float[] blurred = separable(d, n, n, g, g, Border.REFLECT_101);
        double[][] out = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out[y][x] = blurred[y * n + x];
            }
        }
        return out;
    }

    /** OpenCV {@code getGaussianKernel(ksize, sigma)} for sigma > 0. */
    static double[] openCvGaussianKernel(int ksize, double sigma) {
        double[] k = new double[ksize];
        double sum = 0;
        int r = ksize / 2;
        for (int i = 0; i < ksize; i++) {
            k[i] = Math.exp(-((i - r) * (i - r)) / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < ksize; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /**
     * The taps of ImageMagick's {@code MotionBlurImage(radius, sigma, angle)}: width
     * {@code 2 ceil(radius) + 1} taps i = 0.. along the angle (degrees, y pointing down), weights
     * {@code exp(-i^2 / 2 sigma^2)} normalised, at offsets {@code (round(i cos a), round(i sin a))}. A
     * one-sided blur: each output pixel averages the pixels behind it along the line.
     *
     * @return rows {dx, dy, weight}
     */
    static double[][] motionTaps(double radius, double sigma, double angleDegrees) {
        int width = (int) (2 * Math.ceil(radius) + 1);
        double a = Math.toRadians(angleDegrees);
        double[][] taps = new double[width][3];
        double sum = 0;
        for (int i = 0; i < width; i++) {
            taps[i][0] = Math.ceil(i * Math.cos(a) - 0.5);
            taps[i][1] = Math.ceil(i * Math.sin(a) - 0.5);
            taps[i][2] = Math.exp(-((double) i * i) / (2 * sigma * sigma));
            sum += taps[i][2];
        }
        for (double[] t : taps) {
            t[2] /= sum;
        }
        return taps;
    }

    /** A motion blur of one plane with the taps of {@link #motionTaps}, edge pixels repeated. */
    static float[] motionBlur(float[] plane, int h, int w, double[][] taps) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (double[] t : taps) {
                    int xx = Border.NEAREST.index(x + (int) t[0], w);
                    int yy = Border.NEAREST.index(y + (int) t[1], h);
                    s += t[2] * plane[yy * w + xx];
                }
                out[y * w + x] = (float) s;
            }
        }
        return out;
    }

    /**
     * {@code clipped_zoom} of {@code make_cifar_c.py}: crops the centre {@code ceil(n / z)} pixels of each
     * axis, enlarges them by z with scipy's {@code zoom(order=1)} (output {@code round(n' z)} pixels, the
     * corner-aligned linear map {@code i (n' - 1) / (m - 1)}) and keeps the centre n pixels.
     */
    static float[] clippedZoom(float[] plane, int h, int w, double z) {
        int[] ys = new int[h];
        double[] fy = new double[h];
        zoomAxis(h, z, ys, fy);
        int[] xs = new int[w];
        double[] fx = new double[w];
        zoomAxis(w, z, xs, fx);
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            int y0 = ys[y];
            int y1 = Math.min(h - 1, y0 + 1);
            for (int x = 0; x < w; x++) {
                int x0 = xs[x];
                int x1 = Math.min(w - 1, x0 + 1);
                double top = plane[y0 * w + x0] * (1 - fx[x]) + plane[y0 * w + x1] * fx[x];
                double bottom = plane[y1 * w + x0] * (1 - fx[x]) + plane[y1 * w + x1] * fx[x];
                out[y * w + x] = (float) (top * (1 - fy[y]) + bottom * fy[y]);
            }
        }
        return out;
    }

    /** For each output index of one axis, the source index (floor) and the fraction towards the next. */
    private static void zoomAxis(int n, double z, int[] index, double[] frac) {
        int crop = (int) Math.ceil(n / z);
        int top = (n - crop) / 2;
        int m = (int) Math.rint(crop * z);
        int trim = (m - n) / 2;
        for (int i = 0; i < n; i++) {
            double src = m > 1 ? (double) (i + trim) * (crop - 1) / (m - 1) : 0;
            int i0 = (int) Math.floor(src);
            if (i0 >= crop - 1) {
                index[i] = top + crop - 1;
                frac[i] = 0;
            } else {
                index[i] = top + i0;
                frac[i] = src - i0;
            }
        }
    }

    /**
     * Bilinear sampling of a plane at (y, x) with a border rule: scipy's {@code map_coordinates(order=1)}
     * and OpenCV's {@code INTER_LINEAR} both interpolate between the four neighbours of the point, the
     * neighbours outside the plane mapped in by the border rule.
     */
    static double bilinear(float[] plane, int h, int w, double y, double x, Border border) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        int ya = border.index(y0, h) * w;
        int yb = border.index(y0 + 1, h) * w;
        int xa = border.index(x0, w);
        int xb = border.index(x0 + 1, w);
        return (plane[ya + xa] * (1 - fx) + plane[ya + xb] * fx) * (1 - fy)
                + (plane[yb + xa] * (1 - fx) + plane[yb + xb] * fx) * fy;
    }

    /**
     * The plasma fractal of {@code make_cifar_c.py} (diamond-square, after FLHerne's mapgen): a size x size
     * height map (size a power of two, the map wrapping around), starting amplitude 100, each midpoint
     * the mean of its four neighbours plus {@code wibble * U(-wibble, wibble)}, the amplitude divided by
     * {@code decay} per level; then shifted and scaled to [0, 1]. Random numbers are drawn in numpy's
     * order (squares, then the two diamond grids, row-major), from {@code rnd}.
     */
    static double[][] plasmaFractal(int size, double decay, SplittableRandom rnd) {
        if (size < 2 || (size & (size - 1)) != 0) {
            throw new IllegalArgumentException("plasma fractal size must be a power of two, was " + size);
        }
        double[][] m = new double[size][size];
        int step = size;
        double wibble = 100;
        while (step >= 2) {
            int half = step / 2;
            int k = size / step;
            // squares: centre of each cell = mean of its four corners (wrapping) + noise
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double s = m[i * step][j * step] + m[((i + 1) % k) * step][j * step]
                            + m[i * step][((j + 1) % k) * step] + m[((i + 1) % k) * step][((j + 1) % k) * step];
                    m[i * step + half][j * step + half] = s / 4 + wibble * uniform(rnd, wibble);
                }
            }
            // diamonds on the rows of corners: the centres above and below, the corners left and right
            double[][] next = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double s = m[i * step + half][j * step + half] + m[((i - 1 + k) % k) * step + half][j * step + half]
                            + m[i * step][j * step] + m[i * step][((j + 1) % k) * step];
                    next[i][j] = s / 4 + wibble * uniform(rnd, wibble);
                }
            }
            double[][] next2 = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double s = m[i * step + half][j * step + half] + m[i * step + half][((j - 1 + k) % k) * step + half]
                            + m[i * step][j * step] + m[((i + 1) % k) * step][j * step];
                    next2[i][j] = s / 4 + wibble * uniform(rnd, wibble);
                }
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    m[i * step][j * step + half] = next[i][j];
                    m[i * step + half][j * step] = next2[i][j];
                }
            }
            step /= 2;
            wibble /= decay;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : m) {
            for (double v : row) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        for (double[] row : m) {
            for (int j = 0; j < size; j++) {
                row[j] = max > min ? (row[j] - min) / (max - min) : 0;
            }
        }
        return m;
    }

    private static double uniform(SplittableRandom rnd, double a) {
        return -a + 2 * a * rnd.nextDouble();
    }

    /**
     * OpenCV's {@code getAffineTransform}: the 2 x 3 matrix mapping three source points to three
     * destination points ({x, y} each).
     */
    static double[][] affineTransform(double[][] src, double[][] dst) {
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) {
            a[i][0] = src[i][0];
            a[i][1] = src[i][1];
            a[i][2] = 1;
        }
        double[][] m = new double[2][];
        for (int r = 0; r < 2; r++) {
            double[] b = {dst[0][r], dst[1][r], dst[2][r]};
            m[r] = solve3(a, b);
        }
        return m;
    }

    private static double[] solve3(double[][] a, double[] b) {
        double det = det3(a);
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("degenerate affine points");
        }
        double[] x = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] t = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    t[i][j] = j == c ? b[i] : a[i][j];
                }
            }
            x[c] = det3(t) / det;
        }
        return x;
    }

    private static double det3(double[][] a) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    }

    /**
     * OpenCV's {@code warpAffine(src, M, INTER_LINEAR)}: the destination pixel (x, y) takes the source at
     * {@code M^-1 (x, y)}, bilinearly, the border by the given rule.
     */
    static float[] warpAffine(float[] plane, int h, int w, double[][] m, Border border) {
        double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        double i00 = m[1][1] / det;
        double i01 = -m[0][1] / det;
        double i10 = -m[1][0] / det;
        double i11 = m[0][0] / det;
        double b0 = -(i00 * m[0][2] + i01 * m[1][2]);
        double b1 = -(i10 * m[0][2] + i11 * m[1][2]);
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = i00 * x + i01 * y + b0;
                double sy = i10 * x + i11 * y + b1;
                out[y * w + x] = (float) bilinear(plane, h, w, sy, sx, border);
            }
        }
        return out;
    }
}
