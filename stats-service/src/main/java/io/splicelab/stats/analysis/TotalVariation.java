package io.splicelab.stats.analysis;

import java.util.List;

/**
 * Total-variation distance between two densities evaluated on a grid: each density's values, times the cell
 * volume, are its probability masses on the grid's cells; each is normalised to total mass 1, and the distance
 * is {@code 0.5 * sum_k |p_k / P - q_k / Q|} with {@code P = cell * sum_k p_k} (the plain Riemann sum over all
 * grid points), likewise {@code Q}. TV is 0 for identical densities and 1 for disjoint ones, so it reads as
 * "how separable are these two clouds".
 *
 * <p>Why normalised: the plain Riemann rule {@code 0.5 * cell * sum |p - q|} (the reference values' rule,
 * {@link #riemann}) integrates each density to its grid mass, which is not 1: a little mass lies beyond the
 * padded grid, and a density narrow against the grid spacing is over- or under-counted by wherever its peaks
 * fall between grid points. Two well separated classes then gave TV = 0.5 (P + Q) > 1 (issue 14: 1.000002).
 * Normalised, the distance is the TV of two probability vectors and at most 1 in exact arithmetic; the sum's
 * rounding (a few ulps per grid point) is the only excess left, and {@link #ROUNDING_TOLERANCE} is cut off.
 */
public final class TotalVariation {
    /** The largest excess over 1 taken for rounding and clamped; anything larger is a bug and is refused. */
    public static final double ROUNDING_TOLERANCE = 1e-9;

    private TotalVariation() {
    }

    /**
     * The TV distance between two KDEs, the grid they were compared on, their densities at its points and each
     * density's mass on the grid ({@code cell * sum}, before normalisation).
     */
    public record Result(double tv, DensityGrid grid, double[] p, double[] q, double massP, double massQ) {
    }

    /** TV between two 1-D or 2-D KDEs on the grid covering both ({@link DensityGrid#DEFAULT_PADDING}). */
    public static Result between(GaussianKde a, GaussianKde b, int gridSize) {
        DensityGrid grid = DensityGrid.covering(List.of(a, b), gridSize, DensityGrid.DEFAULT_PADDING);
        double[] p = grid.evaluate(a);
        double[] q = grid.evaluate(b);
        return new Result(distance(p, q, grid.cellVolume()), grid, p, q, mass(p, grid.cellVolume()),
                mass(q, grid.cellVolume()));
    }

    /**
     * {@code 0.5 * sum_k |p_k / P - q_k / Q|}, {@code P} and {@code Q} the densities' masses on the grid.
     *
     * @throws IllegalArgumentException for densities on different grids or one with no mass on the grid
     */
    public static double distance(double[] p, double[] q, double cellVolume) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("densities on different grids");
        }
        double sp = sum(p);
        double sq = sum(q);
        if (!(sp > 0) || !(sq > 0) || !Double.isFinite(sp) || !Double.isFinite(sq)) {
            throw new IllegalArgumentException("a density without a finite, positive mass on the grid (its kernels"
                    + " fall between the grid points: use a finer grid)");
        }
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            s += Math.abs(p[k] / sp - q[k] / sq);
        }
        double tv = 0.5 * s;
        if (tv > 1 + ROUNDING_TOLERANCE) {
            throw new IllegalStateException("TV " + tv + " above 1 beyond rounding");
        }
        return Math.min(1.0, tv);
    }

    /**
     * The plain Riemann rule {@code 0.5 * cellVolume * sum_k |p_k - q_k|} over all grid points (no trapezoid
     * halving, no normalisation): what the numpy reference values compute; it can exceed 1 (see the class).
     */
    public static double riemann(double[] p, double[] q, double cellVolume) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("densities on different grids");
        }
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            s += Math.abs(p[k] - q[k]);
        }
        return 0.5 * cellVolume * s;
    }

    /** {@code cellVolume * sum_k p_k}: the density's mass on the grid. */
    public static double mass(double[] p, double cellVolume) {
        return cellVolume * sum(p);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
