package io.splicelab.stats.config;

import io.splicelab.model.store.ArtifactStore;
import io.splicelab.stats.analysis.Bandwidth;
import io.splicelab.stats.analysis.ClassOverlap;
import io.splicelab.stats.analysis.CloudDistance;
import io.splicelab.stats.analysis.NoiseAnalyzer;
import io.splicelab.stats.analysis.NoiseAnisotropy;
import io.splicelab.stats.analysis.ProbeDistanceAnalyzer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Builds the plain-Java collaborators (the analyses) from configuration, so that they stay free of CDI and
 * configuration and can be unit-tested with {@code new}. Singletons, not application-scoped: no client proxy
 * is generated. The {@link ArtifactStore} comes from the service edge ({@code ArtifactStoreProducer}).
 */
@ApplicationScoped
public class StatsBeans {

    @Produces
    @Singleton
    ClassOverlap classOverlap(StatsConfig config) {
        StatsConfig.ClassOverlapConfig c = config.classOverlap();
        return new ClassOverlap(Bandwidth.parse(c.bandwidth()), c.gridSize(), c.minClassSize());
    }

    @Produces
    @Singleton
    NoiseAnisotropy noiseAnisotropy(StatsConfig config) {
        StatsConfig.NoiseConfig c = config.noise();
        return new NoiseAnisotropy(c.topK().stream().mapToInt(Integer::intValue).toArray(), c.nullDraws(),
                c.nullSeed(), c.varianceThreshold(), c.alignmentK(), c.alignmentDraws(), c.alignmentSeed(), c.alpha());
    }

    @Produces
    @Singleton
    CloudDistance cloudDistance(StatsConfig config) {
        StatsConfig.ProbeDistanceConfig c = config.probeDistance();
        return new CloudDistance(Bandwidth.parse(c.bandwidth()), c.gridSize(), c.permutations(), c.seed(),
                c.maxMmdSamples());
    }

    @Produces
    @Singleton
    NoiseAnalyzer noiseAnalyzer(ArtifactStore artifacts, NoiseAnisotropy anisotropy, StatsConfig config) {
        return new NoiseAnalyzer(artifacts, anisotropy, config.noise().alignmentWindow());
    }

    @Produces
    @Singleton
    ProbeDistanceAnalyzer probeDistanceAnalyzer(ArtifactStore artifacts, CloudDistance distance, StatsConfig config) {
        return new ProbeDistanceAnalyzer(artifacts, distance, config.probeDistance().window());
    }

    @Produces
    @Singleton
    io.splicelab.stats.adhoc.AdHocAnalyses adHocAnalyses() {
        return new io.splicelab.stats.adhoc.AdHocAnalyses();
    }
}
