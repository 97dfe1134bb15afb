package io.splicelab.stats;

import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.stats.analysis.Bandwidth;
import io.splicelab.stats.analysis.ClassOverlap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/**
 * Builds the plain-Java collaborators (artifact store, analyses) from configuration, so that they stay
 * free of CDI and configuration and can be unit-tested with {@code new}.
 */
@ApplicationScoped
public class StatsBeans {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(StatsConfig config) {
        return new LocalArtifactStore(Path.of(config.artifactsDir()));
    }

    @Produces
    @ApplicationScoped
    ClassOverlap classOverlap(StatsConfig config) {
        StatsConfig.ClassOverlapConfig c = config.classOverlap();
        return new ClassOverlap(Bandwidth.parse(c.bandwidth()), c.gridSize(), c.minClassSize());
    }
}
