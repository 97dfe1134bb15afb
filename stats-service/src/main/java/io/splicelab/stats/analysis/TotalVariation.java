package io.splicelab.stats.analysis;

import java.util.List;

/**
 * Total-variation distance between two densities, approximated on a grid by the plain Riemann sum
 * {@code 0.5 * cell * sum |p - q|} over all grid points (no trapezoid halving, no renormalisation): the
 * documented rule the reference values were computed with. TV is 0 for identical densities and 1 for
 * disjoint ones, so it reads as "how separable are these two clouds".
 */
public final class TotalVariation {
    private TotalVariation() {
    }

    /** The TV distance between two KDEs, their densities and the grid they were compared on. */
    public record Result(double tv, DensityGrid grid, double[] p, double[] q) {
    }

    /** TV between two 1-D or 2-D KDEs on the grid covering both ({@link DensityGrid#DEFAULT_PADDING}). */
    public static Result between(GaussianKde a, GaussianKde b, int gridSize) {
        DensityGrid grid = DensityGrid.covering(List.of(a, b), gridSize, DensityGrid.DEFAULT_PADDING);
        double[] p = grid.evaluate(a);
        double[] q = grid.evaluate(b);
        return new Result(distance(p, q, grid.cellVolume()), grid, p, q);
    }

    /** {@code 0.5 * cellVolume * sum_k |p_k - q_k|}. */
    public static double distance(double[] p, double[] q, double cellVolume) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("densities on different grids");
        }
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            s += Math.abs(p[k] - q[k]);
        }
        return 0.5 * cellVolume * s;
    }
}
