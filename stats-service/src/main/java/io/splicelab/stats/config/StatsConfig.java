package io.splicelab.stats.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The stats service's own settings. Every choice the science leaves open is an option here, and every
 * stored result records the values it was computed with. The prefix is the service's own
 * ({@code splicelab.stats}): a mapping validates every property under its prefix, and the shared settings
 * ({@code splicelab.artifacts.dir}, {@code splicelab.api.token}, {@code splicelab.topics.*}) belong to the
 * service edge.
 */
@ConfigMapping(prefix = "splicelab.stats")
public interface StatsConfig {

    /** Settings of the class-overlap analysis. */
    @WithName("class-overlap")
    ClassOverlapConfig classOverlap();

    /** Settings of the SGD-noise analyses (anisotropy, alignment, tail index). */
    @WithName("noise")
    NoiseConfig noise();

    /** Settings of the windowed distance between the temporally augmented clouds of two probe sets. */
    @WithName("probe-distance")
    ProbeDistanceConfig probeDistance();

    /** SGD noise: spectrum, isotropy tests, Monte Carlo null, trajectory alignment. */
    interface NoiseConfig {
        /** The k of the top-k explained variance, each tested against the isotropic null. */
        @WithName("top-k")
        @WithDefault("1,2,5,10")
        java.util.List<Integer> topK();

        /** Monte Carlo draws of the isotropic null. */
        @WithDefault("500")
        int nullDraws();

        @WithDefault("1")
        long nullSeed();

        /** "How many directions carry this fraction of the variance". */
        @WithDefault("0.9")
        double varianceThreshold();

        /** Top-k directions of the recent trajectory the noise is projected on (capped by their rank). */
        @WithDefault("2")
        int alignmentK();

        /** W: the update artifacts of the last W checkpoints of the run (the current one included). */
        @WithDefault("5")
        int alignmentWindow();

        @WithDefault("500")
        int alignmentDraws();

        @WithDefault("2")
        long alignmentSeed();

        /** Level at which results say "isotropy rejected". */
        @WithDefault("0.05")
        double alpha();
    }

    /** Train/test (any two probe sets) distance of the feature clouds over a window of checkpoints. */
    interface ProbeDistanceConfig {
        /** Checkpoints per window: the last W steps (current included) where both probe sets exist. */
        @WithDefault("3")
        int window();

        @WithDefault("scott")
        String bandwidth();

        @WithDefault("64")
        int gridSize();

        @WithDefault("200")
        int permutations();

        @WithDefault("3")
        long seed();

        /** MMD is O(n^2) in memory: each cloud is subsampled (seeded) to at most this many points. */
        @WithDefault("500")
        int maxMmdSamples();
    }

    /** Class overlap: class densities on the top 2 principal components, compared on a grid. */
    interface ClassOverlapConfig {
        /** KDE factor rule: {@code scott}, {@code silverman} or a number. */
        @WithDefault("scott")
        String bandwidth();

        /** Grid points per axis (the grid has gridSize^2 points). */
        @WithDefault("64")
        int gridSize();

        /** Classes with fewer probes are left out of the comparison (at least 3). */
        @WithDefault("3")
        int minClassSize();
    }
}
