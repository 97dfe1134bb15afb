package io.splicelab.stats.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * The whole anisotropy analysis of one SGD noise matrix (docs/science.md section 4), from its
 * {@link NoiseProducts}: the spectrum through the Gram matrix, the Ledoit-Wolf and Srivastava tests of
 * "covariance = sigma^2 I", a Monte Carlo isotropic null for the top-k explained variance (with per-rank
 * null quantiles of the normalised spectrum, to plot the spectrum against the null), the alignment of the
 * noise with the recent training trajectory and the heavy-tail index. One object per configuration; the
 * {@link #parameters()} are what every result records.
 */
public final class NoiseAnisotropy {
    /** The quantiles of the null reported per rank and per k. */
    public static final double[] QUANTILES = {0.05, 0.5, 0.95};

    private final int[] ks;
    private final int nullDraws;
    private final long nullSeed;
    private final double varianceThreshold;
    private final int alignmentK;
    private final int alignmentDraws;
    private final long alignmentSeed;
    private final double alpha;

    /**
     * @param ks the k of the top-k explained variance (each tested against the null)
     * @param nullDraws Monte Carlo draws of the isotropic null
     * @param varianceThreshold fraction of variance for "number of directions carrying it" (0.9)
     * @param alignmentK trajectory directions (capped by the rank of the updates)
     * @param alpha the level at which a result says "rejected"
     */
    public NoiseAnisotropy(int[] ks, int nullDraws, long nullSeed, double varianceThreshold, int alignmentK,
            int alignmentDraws, long alignmentSeed, double alpha) {
        if (ks.length == 0 || Arrays.stream(ks).anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("need at least one k >= 1");
        }
        if (nullDraws < 1 || alignmentDraws < 1 || alignmentK < 1) {
            throw new IllegalArgumentException("draws and alignment k must be at least 1");
        }
        if (!(varianceThreshold > 0 && varianceThreshold <= 1) || !(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("variance threshold in (0, 1], alpha in (0, 1)");
        }
        this.ks = ks.clone();
        this.nullDraws = nullDraws;
        this.nullSeed = nullSeed;
        this.varianceThreshold = varianceThreshold;
        this.alignmentK = alignmentK;
        this.alignmentDraws = alignmentDraws;
        this.alignmentSeed = alignmentSeed;
        this.alpha = alpha;
    }

    /** The defaults: k = 1, 2, 5, 10; 500 null draws; 90 %; 2 trajectory directions; alpha 0.05. */
    public static NoiseAnisotropy defaults() {
        return new NoiseAnisotropy(Spectrum.DEFAULT_KS, 500, 1L, 0.9, 2, 500, 2L, 0.05);
    }

    /** The parameters every result records. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("topK", Arrays.stream(ks).boxed().toList());
        p.put("nullDraws", nullDraws);
        p.put("nullSeed", nullSeed);
        p.put("nullModel", "isotropic Gaussian, same m, p and trace (Wishart by Bartlett)");
        p.put("varianceThreshold", varianceThreshold);
        p.put("alignmentK", alignmentK);
        p.put("alignmentDraws", alignmentDraws);
        p.put("alignmentSeed", alignmentSeed);
        p.put("alpha", alpha);
        p.put("tailIndexEstimator", "Mohammadi et al. 2014 on row norms, K1 = floor(sqrt(m))");
        return p;
    }

    /** One k of the Monte Carlo null: observed top-k explained variance vs its isotropic distribution. */
    public record TopKNull(int k, double observed, double nullMean, double nullSd, double[] nullQuantiles,
            double pValue, double effectSize) {
    }

    /** The isotropic null of the whole spectrum: per-rank quantiles of the normalised eigenvalues. */
    public record SpectrumNull(int draws, long seed, double[][] rankQuantiles, double[] directionsQuantiles,
            java.util.List<TopKNull> topK) {
    }

    /** Everything measured on one noise matrix. */
    public record Result(int m, long p, Spectrum spectrum, int directionsForThreshold,
            Sphericity.HighDimensional tests, SpectrumNull mcNull, SubspaceAlignment.Result alignment,
            int alignmentKUsed, TailIndex.Result tailIndex, boolean isotropyRejected) {
    }

    /**
     * @param products the noise (and update) products; alignment is skipped (null) without updates
     * @throws IllegalArgumentException when the noise is degenerate (fewer than 4 rows, no variance)
     */
    public Result analyze(NoiseProducts products) {
        int m = products.m();
        if (m < 4) {
            throw new IllegalArgumentException("the anisotropy analysis needs at least 4 noise rows, got " + m);
        }
        if (products.p() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("p too large");
        }
        int p = (int) products.p();
        double[][] centered = products.centeredGram();
        double[][] scaled = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                scaled[i][k] = centered[i][k] / (m - 1);
            }
        }
        // the dual trick: nonzero eigenvalues of S = Xc^T Xc/(m-1) are those of Xc Xc^T/(m-1)
        double[] all = new EigenDecomposition(new Array2DRowRealMatrix(scaled, false)).getRealEigenvalues();
        Spectrum spectrum = Spectrum.fromEigenvalues(m, p, all);
        if (spectrum.rank() == 0) {
            throw new IllegalArgumentException("the noise has no variance");
        }
        Sphericity.HighDimensional tests = Sphericity.highDimensionalFromGram(p, centered);
        SpectrumNull mcNull = spectrumNull(m, p, spectrum);

        SubspaceAlignment.Result alignment = null;
        int kUsed = 0;
        if (products.updates() > 0) {
            kUsed = Math.min(alignmentK, updatesRank(products.updatesGram(), p));
            if (kUsed >= 1) {
                alignment = SubspaceAlignment.fromProducts(p, products.gram(), products.updatesGram(),
                        products.cross(), kUsed, alignmentDraws, alignmentSeed);
            }
        }
        int k1 = (int) Math.floor(Math.sqrt(m));
        TailIndex.Result tail = TailIndex.estimateFromGram(products.gram(), k1);
        boolean rejected = tests.ledoitWolf().pValue() < alpha && tests.srivastava().pValue() < alpha;
        return new Result(m, p, spectrum, directionsFor(spectrum, varianceThreshold), tests, mcNull, alignment,
                kUsed, tail, rejected);
    }

    /** The smallest number of leading eigenvalues whose share of the variance reaches the threshold. */
    public static int directionsFor(Spectrum s, double threshold) {
        double total = s.total();
        double acc = 0;
        double[] l = s.eigenvalues();
        for (int i = 0; i < l.length; i++) {
            acc += l[i];
            if (acc >= threshold * total * (1 - 1e-12)) {
                return i + 1;
            }
        }
        return l.length;
    }

    private static int updatesRank(double[][] dd, int p) {
        double[] l = new EigenDecomposition(new Array2DRowRealMatrix(dd, true)).getRealEigenvalues();
        double max = Arrays.stream(l).max().orElse(0);
        int r = 0;
        for (double v : l) {
            if (max > 0 && v > Math.max(dd.length, p) * Math.ulp(1.0) * max) {
                r++;
            }
        }
        return r;
    }

    /**
     * The Monte Carlo null with the draw sequence of {@link IsotropicNull#topKExplainedNull} (same seed,
     * same values), keeping every normalised eigenvalue so the per-rank quantiles come for free.
     */
    SpectrumNull spectrumNull(int n, int p, Spectrum observed) {
        int dof = n - 1;
        int q = Math.min(p, dof);
        int df = Math.max(p, dof);
        RandomGenerator rng = new Well19937c(nullSeed);
        int ranks = observed.rank();
        double[][] byRank = new double[ranks][nullDraws];
        double[][] byK = new double[ks.length][nullDraws];
        double[] directions = new double[nullDraws];
        for (int b = 0; b < nullDraws; b++) {
            double[] l = new EigenDecomposition(new Array2DRowRealMatrix(Wishart.sample(q, df, rng), false))
                    .getRealEigenvalues();
            Spectrum s = Spectrum.fromEigenvalues(n, p, l);
            double total = s.total();
            for (int r = 0; r < ranks; r++) {
                byRank[r][b] = r < s.rank() ? s.eigenvalues()[r] / total : 0.0;
            }
            for (int j = 0; j < ks.length; j++) {
                byK[j][b] = s.topKExplained(ks[j]);
            }
            directions[b] = directionsFor(s, varianceThreshold);
        }
        double[][] rankQuantiles = new double[ranks][];
        for (int r = 0; r < ranks; r++) {
            rankQuantiles[r] = quantiles(byRank[r]);
        }
        java.util.List<TopKNull> topK = new java.util.ArrayList<>();
        for (int j = 0; j < ks.length; j++) {
            double obs = observed.topKExplained(ks[j]);
            double mean = 0;
            int atLeast = 0;
            for (double v : byK[j]) {
                mean += v;
                if (v >= obs) {
                    atLeast++;
                }
            }
            mean /= nullDraws;
            double var = 0;
            for (double v : byK[j]) {
                var += (v - mean) * (v - mean);
            }
            double sd = nullDraws > 1 ? Math.sqrt(var / (nullDraws - 1)) : 0.0;
            topK.add(new TopKNull(ks[j], obs, mean, sd, quantiles(byK[j]), (1.0 + atLeast) / (1.0 + nullDraws),
                    sd > 0 ? (obs - mean) / sd : 0.0));
        }
        return new SpectrumNull(nullDraws, nullSeed, rankQuantiles, quantiles(directions), topK);
    }

    private static double[] quantiles(double[] values) {
        Percentile pct = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        pct.setData(values);
        double[] out = new double[QUANTILES.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pct.evaluate(QUANTILES[i] * 100);
        }
        return out;
    }
}
