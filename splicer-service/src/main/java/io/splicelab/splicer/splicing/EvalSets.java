package io.splicelab.splicer.splicing;

import io.splicelab.model.data.Cifar10C;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.data.DatasetUnavailableException;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.LabelNoise;
import io.splicelab.model.data.ProbeSets;
import io.splicelab.model.data.corruptions.Corruptions;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.values.EvalSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The evaluation sets of a run, by name (docs/science.md section 2):
 * <ul>
 * <li>{@code test}: the run's seeded class-stratified test subset of evalSize images (the whole test split
 * when evalSize is at least its size);
 * <li>{@code train}: a seeded class-stratified training subset of the same size with the true labels;
 * for a label-noise run (labelNoise > 0) it brings {@code train-noisy} with it;
 * <li>{@code train-noisy}: the same training images with the labels the run trained on (the trainer's
 * {@link LabelNoise} of the whole training split, then the subset), so a label-noise run has two cells
 * per hybrid on the training subset: accuracy against the noisy labels it fitted ({@code train-noisy})
 * and against the truth ({@code train}); every metric and summary exists for both;
 * <li>{@code <corruption>-<severity>}: the test subset corrupted, severity 1-5, e.g. {@code fog-3}. For
 * cifar10, when the official CIFAR-10-C files of the corruption are found ({@link Cifar10C}: the
 * configured directory, then {@code CIFAR-10-C/} in a data root), the same test images are read from
 * them; otherwise they are corrupted on the fly, seeded ({@link Corruptions#NAMES}). {@code frost} (and
 * the release's extra corruptions) exist only as files.
 * </ul>
 * A name listed twice is evaluated once. The names and their validation are the contract's {@link EvalSet}; this
 * class makes the image sets they name.
 */
public final class EvalSets {
    private static final Logger LOG = Logger.getLogger(EvalSets.class);

    private static final String TEST = EvalSet.TEST.wire();
    private static final String TRAIN = EvalSet.TRAIN.wire();
    private static final String TRAIN_NOISY = EvalSet.TRAIN_NOISY.wire();

    /** Pixel normalisation assumed for the synthetic dataset when it is corrupted: p = 0.5 + 0.2 x. */
    static final float[] SYNTHETIC_MEAN = {0.5f, 0.5f, 0.5f};
    static final float[] SYNTHETIC_STD = {0.2f, 0.2f, 0.2f};

    private EvalSets() {
    }

    /** The sets without a CIFAR-10-C directory of its own (data roots only). */
    public static List<ImageDataset> resolve(List<String> names, RunConfig config) {
        return resolve(names, config, null);
    }

    /**
     * @param cifar10cDir where the official CIFAR-10-C files are looked for first (may be null)
     */
    public static List<ImageDataset> resolve(List<String> names, RunConfig config, String cifar10cDir) {
        RunConfig c = config.withDefaults();
        List<ImageDataset> out = new ArrayList<>();
        ImageDataset test = null;
        ImageDataset train = null;
        int[] trainIndices = null;
        for (String name : expand(names, c)) {
            if (TEST.equals(name)) {
                out.add(test = test != null ? test : Datasets.evalSubset(c));
            } else if (TRAIN.equals(name) || TRAIN_NOISY.equals(name)) {
                if (train == null) {
                    train = Datasets.train(c);
                    trainIndices = Datasets.trainEvalIndices(c, train);
                }
                ImageDataset subset = train.subset(name, trainIndices);
                if (TRAIN_NOISY.equals(name)) {
                    int[] noisy = LabelNoise.apply(train.labels(), train.numClasses(), c.labelNoise(), c.seed());
                    int[] labels = new int[trainIndices.length];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = noisy[trainIndices[i]];
                    }
                    subset = subset.relabelled(name, labels);
                }
                out.add(subset);
            } else {
                EvalSet parsed = EvalSet.parse(name);
                test = test != null ? test : Datasets.evalSubset(c);
                out.add(corrupted(parsed, c, test, cifar10cDir));
            }
        }
        return out;
    }

    /** The names in order, each once, with {@code train-noisy} after {@code train} for a label-noise run. */
    static List<String> expand(List<String> names, RunConfig c) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            out.add(name);
            if (TRAIN.equals(name) && c.labelNoise() > 0) {
                out.add(TRAIN_NOISY);
            }
        }
        return new ArrayList<>(out);
    }

    private static ImageDataset corrupted(EvalSet p, RunConfig c, ImageDataset testSubset, String cifar10cDir) {
        DatasetInfo info = DatasetInfo.of(c.dataset()).orElseThrow();
        Optional<Path> files = "cifar10".equals(c.dataset())
                ? Cifar10C.find(p.corruption(), cifar10cDir, c.dataDir())
                : Optional.empty();
        if (files.isPresent()) {
            ImageDataset test = Datasets.test(c);
            int[] indices = Datasets.evalIndices(c, test);
            int[] labels = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                labels[i] = test.labels()[indices[i]];
            }
            LOG.infof("evaluation set %s read from the CIFAR-10-C files in %s", p.wire(), files.get());
            return Cifar10C.read(files.get(), p.corruption(), p.severity(), indices, labels, p.wire(),
                    info.numClasses(), info.mean(), info.std());
        }
        if (p.fileOnly()) {
            if (!"cifar10".equals(c.dataset())) {
                throw new IllegalArgumentException("evaluation set " + p.wire() + " exists only as a CIFAR-10-C file,"
                        + " for cifar10 runs; this run's dataset is " + c.dataset());
            }
            throw new DatasetUnavailableException("evaluation set " + p.wire() + " is only read from files: "
                    + Cifar10C.missingMessage(p.corruption(), cifar10cDir, c.dataDir()));
        }
        return Corruptions.apply(testSubset, p.corruption(), p.severity(), c.seed() * 31337 + 11, mean(info),
                std(info));
    }

    /** Training inputs for BatchNorm recalibration: a seeded class-stratified training subset. */
    public static ImageDataset recalibration(RunConfig config, int size) {
        RunConfig c = config.withDefaults();
        ImageDataset train = Datasets.train(c);
        return train.subset("recalibration", ProbeSets.stratified(train.labels(), train.numClasses(), size,
                c.seed() * 3001 + 5));
    }

    private static float[] mean(DatasetInfo info) {
        return info.fromFiles() ? info.mean() : SYNTHETIC_MEAN;
    }

    private static float[] std(DatasetInfo info) {
        return info.fromFiles() ? info.std() : SYNTHETIC_STD;
    }
}
