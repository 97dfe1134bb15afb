package io.splicelab.stats.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.util.MathArrays;

/**
 * Distance between two feature clouds (docs/science.md section 3: train vs test probe clouds, temporally
 * augmented over a window of checkpoints) - the computable surrogate of the paper's TV bound, tracked next
 * to the generalization gap. Two complementary measures: the TV distance between 2-D Gaussian KDEs of the
 * clouds projected on the top 2 principal components of the pooled cloud (what the plots show), and
 * MMD^2 in the full feature space with a permutation p-value (no projection loss). MMD costs O(n^2)
 * memory, so each side is subsampled (seeded) to at most {@code maxMmdSamples} points.
 */
public final class CloudDistance {
    private final Bandwidth bandwidth;
    private final int gridSize;
    private final int permutations;
    private final long seed;
    private final int maxMmdSamples;

    public CloudDistance(Bandwidth bandwidth, int gridSize, int permutations, long seed, int maxMmdSamples) {
        if (gridSize < 2 || permutations < 1 || maxMmdSamples < 2) {
            throw new IllegalArgumentException("need gridSize >= 2, permutations >= 1, maxMmdSamples >= 2");
        }
        this.bandwidth = bandwidth;
        this.gridSize = gridSize;
        this.permutations = permutations;
        this.seed = seed;
        this.maxMmdSamples = maxMmdSamples;
    }

    /** The parameters every result records. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("projection", "pca of the pooled cloud");
        p.put("components", 2);
        p.put("bandwidth", bandwidth.label());
        p.put("gridSize", gridSize);
        p.put("gridPadding", DensityGrid.DEFAULT_PADDING);
        p.put("tvRule", "grid masses normalised to 1");
        p.put("mmdKernel", "gaussian, median heuristic");
        p.put("permutations", permutations);
        p.put("seed", seed);
        p.put("maxMmdSamples", maxMmdSamples);
        return p;
    }

    /** The two distances and what they were computed on. */
    public record Result(int samplesA, int samplesB, int dimensions, double tv, double[] explainedVariance,
            double factorA, double factorB, int mmdSamplesA, int mmdSamplesB, Mmd.Test mmd) {
    }

    /**
     * @param a cloud A (n_a x d), b cloud B (n_b x d), d >= 2, at least 3 points each
     */
    public Result compute(double[][] a, double[][] b) {
        if (a.length < 3 || b.length < 3) {
            throw new IllegalArgumentException("each cloud needs at least 3 points (got " + a.length + " and "
                    + b.length + ")");
        }
        double[][] pooled = new double[a.length + b.length][];
        System.arraycopy(a, 0, pooled, 0, a.length);
        System.arraycopy(b, 0, pooled, a.length, b.length);
        int d = Matrices.columns(pooled);
        if (d < 2) {
            throw new IllegalArgumentException("clouds need at least 2 dimensions");
        }
        PrincipalComponents pca = PrincipalComponents.fit(pooled, 2);
        GaussianKde ka = new GaussianKde(pca.project(a), bandwidth);
        GaussianKde kb = new GaussianKde(pca.project(b), bandwidth);
        TotalVariation.Result tv = TotalVariation.between(ka, kb, gridSize);
        RandomGenerator rng = new Well19937c(seed);
        double[][] sa = subsample(a, rng);
        double[][] sb = subsample(b, rng);
        Mmd.Test mmd = new Mmd(sa, sb).permutationTest(permutations, seed);
        return new Result(a.length, b.length, d, tv.tv(), pca.explainedVarianceRatio(), ka.factor(), kb.factor(),
                sa.length, sb.length, mmd);
    }

    private double[][] subsample(double[][] x, RandomGenerator rng) {
        if (x.length <= maxMmdSamples) {
            return x;
        }
        int[] idx = MathArrays.natural(x.length);
        MathArrays.shuffle(idx, rng);
        double[][] out = new double[maxMmdSamples][];
        for (int i = 0; i < maxMmdSamples; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }
}
