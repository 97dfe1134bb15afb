package io.splicelab.stats;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The stats service's own settings. Every choice the science leaves open is an option here, and every
 * stored result records the values it was computed with.
 */
@ConfigMapping(prefix = "splicelab")
public interface StatsConfig {

    /** Directory of the shared artifact store (the volume the trainer writes feature snapshots to). */
    @WithName("artifacts.dir")
    String artifactsDir();

    /** Directory of the embedded H2 database (local stack); unused with PostgreSQL. */
    @WithName("data.dir")
    @WithDefault("./.splicelab/data")
    String dataDir();

    /** Settings of the class-overlap analysis. */
    @WithName("stats.class-overlap")
    ClassOverlapConfig classOverlap();

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
