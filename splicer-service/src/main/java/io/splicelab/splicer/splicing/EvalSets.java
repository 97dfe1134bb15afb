package io.splicelab.splicer.splicing;

import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.ProbeSets;
import io.splicelab.model.data.corruptions.Corruptions;
import io.splicelab.model.events.RunConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation sets of a run, by name: {@code test} (the run's seeded class-stratified test subset),
 * {@code train} (a seeded class-stratified training subset of the same size) and
 * {@code <corruption>-<severity>} (the test subset corrupted on the fly, seeded, e.g.
 * {@code gaussian_noise-3}; corruptions: {@link Corruptions#NAMES}).
 */
public final class EvalSets {
    /** Pixel normalisation assumed for the synthetic dataset when it is corrupted: p = 0.5 + 0.2 x. */
    static final float[] SYNTHETIC_MEAN = {0.5f, 0.5f, 0.5f};
    static final float[] SYNTHETIC_STD = {0.2f, 0.2f, 0.2f};

    private EvalSets() {
    }

    public static List<ImageDataset> resolve(List<String> names, RunConfig config) {
        RunConfig c = config.withDefaults();
        List<ImageDataset> out = new ArrayList<>();
        ImageDataset test = null;
        for (String name : names) {
            if ("test".equals(name)) {
                out.add(test = test != null ? test : Datasets.evalSubset(c));
            } else if ("train".equals(name)) {
                ImageDataset train = Datasets.train(c);
                out.add(train.subset("train", ProbeSets.stratified(train.labels(), train.numClasses(), c.evalSize(),
                        c.seed() * 6007 + 29)));
            } else {
                int dash = name.lastIndexOf('-');
                if (dash < 0) {
                    throw new IllegalArgumentException("unknown evaluation set " + name);
                }
                String corruption = name.substring(0, dash);
                int severity = Integer.parseInt(name.substring(dash + 1));
                if (!Corruptions.NAMES.contains(corruption)) {
                    throw new IllegalArgumentException("unknown corruption " + corruption + "; known: "
                            + Corruptions.NAMES);
                }
                test = test != null ? test : Datasets.evalSubset(c);
                out.add(Corruptions.apply(test, corruption, severity, c.seed() * 31337 + 11, mean(c), std(c)));
            }
        }
        return out;
    }

    /** Training inputs for BatchNorm recalibration: a seeded class-stratified training subset. */
    public static ImageDataset recalibration(RunConfig config, int size) {
        RunConfig c = config.withDefaults();
        ImageDataset train = Datasets.train(c);
        return train.subset("recalibration", ProbeSets.stratified(train.labels(), train.numClasses(), size,
                c.seed() * 3001 + 5));
    }

    private static float[] mean(RunConfig c) {
        return SYNTHETIC_MEAN;
    }

    private static float[] std(RunConfig c) {
        return SYNTHETIC_STD;
    }
}
