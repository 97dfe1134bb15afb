package io.splicelab.model.data;

import io.splicelab.model.events.RunConfig;

/**
 * Resolves a run's dataset by name. Every service calls this with the same configuration and gets the
 * same training split and the same seeded evaluation subset.
 */
public final class Datasets {
    /** Size of the synthetic test split from which evaluation subsets are drawn. */
    public static final int SYNTHETIC_TEST_SIZE = 2000;

    private Datasets() {
    }

    public static ImageDataset train(RunConfig config) {
        return switch (config.dataset()) {
            case "synthetic" -> SyntheticImages.split("train", config.trainSize());
            default -> throw new IllegalArgumentException("unknown dataset " + config.dataset());
        };
    }

    public static ImageDataset test(RunConfig config) {
        return switch (config.dataset()) {
            case "synthetic" -> SyntheticImages.split("test", SYNTHETIC_TEST_SIZE);
            default -> throw new IllegalArgumentException("unknown dataset " + config.dataset());
        };
    }

    /**
     * The seeded class-stratified test subset the hybrids of a run are evaluated on, named
     * {@code test}. The subset depends on the run's seed, so it is fixed for the whole run.
     */
    public static ImageDataset evalSubset(RunConfig config) {
        ImageDataset test = test(config);
        return test.subset("test", ProbeSets.stratified(test.labels(), test.numClasses(), config.evalSize(),
                config.seed() * 7919 + 17));
    }

    /** A seeded class-stratified probe set of training inputs, named {@code train-probe}. */
    public static ImageDataset trainProbe(RunConfig config, int size) {
        ImageDataset train = train(config);
        return train.subset("train-probe", ProbeSets.stratified(train.labels(), train.numClasses(), size,
                config.seed() * 104729 + 3));
    }
}
