package io.splicelab.stats.analysis;

import java.util.List;

/**
 * A regular grid (1-D or 2-D) on which densities are compared. The grid covers every sample of every
 * KDE plus {@code padding} kernel standard deviations on each side, with {@code size} points per axis
 * placed like {@code numpy.linspace} (the last point is exactly the upper bound). 2-D points are ordered
 * x-major: index {@code k * size + l} is {@code (x_k, y_l)}.
 */
public record DensityGrid(int dimensions, int size, double[] lo, double[] hi, double[] dx, double[][] axes) {

    /** The default padding: 3 kernel standard deviations beyond the extreme samples. */
    public static final double DEFAULT_PADDING = 3.0;

    /** The grid covering all KDEs (all of the same dimension, 1 or 2). */
    public static DensityGrid covering(List<GaussianKde> kdes, int size, double padding) {
        if (kdes.isEmpty()) {
            throw new IllegalArgumentException("no densities to cover");
        }
        if (size < 2) {
            throw new IllegalArgumentException("a grid needs at least 2 points per axis, got " + size);
        }
        int d = kdes.get(0).d();
        if (d > 2) {
            throw new IllegalArgumentException("grids are 1-D or 2-D, not " + d + "-D");
        }
        double[] lo = new double[d];
        double[] hi = new double[d];
        for (int j = 0; j < d; j++) {
            lo[j] = Double.POSITIVE_INFINITY;
            hi[j] = Double.NEGATIVE_INFINITY;
        }
        for (GaussianKde kde : kdes) {
            if (kde.d() != d) {
                throw new IllegalArgumentException("densities of different dimensions");
            }
            double[] h = kde.bandwidthPerAxis();
            for (int j = 0; j < d; j++) {
                lo[j] = Math.min(lo[j], kde.min(j) - padding * h[j]);
                hi[j] = Math.max(hi[j], kde.max(j) + padding * h[j]);
            }
        }
        double[] dx = new double[d];
        double[][] axes = new double[d][];
        for (int j = 0; j < d; j++) {
            axes[j] = linspace(lo[j], hi[j], size);
            dx[j] = (hi[j] - lo[j]) / (size - 1);
        }
        return new DensityGrid(d, size, lo, hi, dx, axes);
    }

    /** numpy.linspace(lo, hi, num): {@code k * step + lo}, last point exactly {@code hi}. */
    static double[] linspace(double lo, double hi, int num) {
        double[] x = new double[num];
        double step = (hi - lo) / (num - 1);
        for (int k = 0; k < num; k++) {
            x[k] = k * step + lo;
        }
        x[num - 1] = hi;
        return x;
    }

    /** Number of grid points. */
    public int points() {
        return dimensions == 1 ? size : size * size;
    }

    /** Area (2-D) or length (1-D) of one grid cell. */
    public double cellVolume() {
        return dimensions == 1 ? dx[0] : dx[0] * dx[1];
    }

    /** The density of a KDE at every grid point, in grid order. */
    public double[] evaluate(GaussianKde kde) {
        if (kde.d() != dimensions) {
            throw new IllegalArgumentException("a " + kde.d() + "-D density on a " + dimensions + "-D grid");
        }
        double[] out = new double[points()];
        if (dimensions == 1) {
            for (int k = 0; k < size; k++) {
                out[k] = kde.pdf(axes[0][k]);
            }
        } else {
            double[] p = new double[2];
            for (int k = 0; k < size; k++) {
                p[0] = axes[0][k];
                for (int l = 0; l < size; l++) {
                    p[1] = axes[1][l];
                    out[k * size + l] = kde.pdf(p);
                }
            }
        }
        return out;
    }
}
