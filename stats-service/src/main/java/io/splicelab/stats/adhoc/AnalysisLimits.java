package io.splicelab.stats.adhoc;

/**
 * The documented size limits of the ad-hoc analyses: they keep one request to seconds of CPU and bounded
 * memory on a shared service. Over a limit is a 400, not a slow answer.
 */
public final class AnalysisLimits {
    /** Numbers in one request, all arrays together. */
    public static final int MAX_VALUES = 2_000_000;
    /** Pooled rows of O(n^2) analyses ({@code mmd}, {@code probe-distance}, {@code class-overlap}). */
    public static final int MAX_PAIRWISE_ROWS = 5_000;
    /** Rows of a KDE or bandwidth search, and evaluation points. */
    public static final int MAX_KDE_ROWS = 20_000;
    /** Size of the dense eigenproblem: min(n, p) of spectra and tests, p of {@code pca} and Mauchly. */
    public static final int MAX_DENSE_DIM = 1_000;
    /** Monte Carlo draws and permutations. */
    public static final int MAX_DRAWS = 10_000;
    /** Grid points per axis. */
    public static final int MAX_GRID = 512;
    /** Each sample of the two-sample KS test. */
    public static final int MAX_KS_SAMPLES = 10_000;

    private AnalysisLimits() {
    }
}
