package io.splicelab.model.data;

import io.splicelab.model.events.RunConfig;
import io.splicelab.model.values.EvalSet;
import io.splicelab.model.values.ProbeSet;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a run's dataset by name. Every service calls this with the same configuration and gets the
 * same training split and the same seeded evaluation subset. Real datasets are read from their official
 * files (see {@link DataRoots} for where), normalised per dataset, and kept in a soft cache so that
 * repeated calls do not re-read tens of megabytes. A missing or malformed file throws
 * {@link DatasetUnavailableException} naming the expected files and where they were looked for.
 */
public final class Datasets {
    /** Size of the synthetic test split from which evaluation subsets are drawn. */
    public static final int SYNTHETIC_TEST_SIZE = DatasetInfo.SYNTHETIC_TEST_SIZE;

    private static final Map<String, SoftReference<ImageDataset>> CACHE = new ConcurrentHashMap<>();

    private Datasets() {
    }

    /**
     * The training split: the first {@code trainSize} examples of the synthetic set, or of a real
     * dataset's training files (all of them at the full size, else a seeded class-stratified subset).
     */
    public static ImageDataset train(RunConfig config) {
        if ("synthetic".equals(config.dataset())) {
            return SyntheticImages.split("train", config.trainSize());
        }
        ImageDataset full = load(info(config), "train", config.dataDir(), Boolean.TRUE.equals(config.download()));
        if (config.trainSize() == null || config.trainSize() >= full.size()) {
            return full;
        }
        return full.subset(full.name(), ProbeSets.stratified(full.labels(), full.numClasses(), config.trainSize(),
                config.seed() * 31 + 7));
    }

    /** The whole test split. */
    public static ImageDataset test(RunConfig config) {
        if ("synthetic".equals(config.dataset())) {
            return SyntheticImages.split("test", SYNTHETIC_TEST_SIZE);
        }
        return load(info(config), "test", config.dataDir(), Boolean.TRUE.equals(config.download()));
    }

    /**
     * The test subset the hybrids of a run are evaluated on, named {@code test}: the images of
     * {@link #evalIndices}. It depends on the run's configuration only, so it is fixed for the whole run.
     */
    public static ImageDataset evalSubset(RunConfig config) {
        ImageDataset test = test(config);
        return test.subset(EvalSet.TEST.wire(), evalIndices(config, test));
    }

    /**
     * The indices into the test split of {@link #evalSubset}, as the configuration's {@code evalSubset} says
     * ({@link EvalSubsets}): a seeded class-stratified sample of evalSize (the default), the first evalSize images,
     * or the listed evalIndices; all of the split when evalSize is at least its size. What a corrupted copy of the
     * subset, computed or read from CIFAR-10-C files, is made of.
     *
     * @throws IllegalArgumentException when listed indices do not fit the split read
     */
    public static int[] evalIndices(RunConfig config, ImageDataset test) {
        return EvalSubsets.select(config.evalSubsetValue(), test.labels(), test.numClasses(), config.evalSize(),
                config.seed() * 7919 + 17, config.evalIndices());
    }

    /**
     * The indices into the training split of the seeded class-stratified training subset the hybrids are
     * evaluated on (evaluation sets {@code train}, {@code train-noisy}), of evalSize examples. Always stratified:
     * {@code evalSubset} chooses test images (docs/science.md section 2).
     */
    public static int[] trainEvalIndices(RunConfig config, ImageDataset train) {
        return ProbeSets.stratified(train.labels(), train.numClasses(), config.evalSize(), config.seed() * 6007 + 29);
    }

    /** A seeded class-stratified probe set of training inputs, named {@code train-probe}. */
    public static ImageDataset trainProbe(RunConfig config, int size) {
        ImageDataset train = train(config);
        return train.subset(ProbeSet.TRAIN_PROBE.wire(), ProbeSets.stratified(train.labels(), train.numClasses(), size,
                config.seed() * 104729 + 3));
    }

    private static DatasetInfo info(RunConfig config) {
        return DatasetInfo.of(config.dataset())
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset " + config.dataset()));
    }

    /**
     * Reads a split of a dataset with official files, normalised; downloads it first into the first data
     * root when allowed and the files are missing.
     */
    public static ImageDataset load(DatasetInfo info, String split, String dataDir, boolean download) {
        Path dir = DataRoots.find(info, split, dataDir).orElse(null);
        if (dir == null && download) {
            DatasetDownloader.download(info, DataRoots.roots(dataDir).get(0));
            dir = DataRoots.find(info, split, dataDir).orElse(null);
        }
        if (dir == null) {
            throw new DatasetUnavailableException(DataRoots.missingMessage(info, split, dataDir));
        }
        String key = info.name() + "|" + split + "|" + dir.toAbsolutePath().normalize();
        SoftReference<ImageDataset> cached = CACHE.get(key);
        ImageDataset data = cached == null ? null : cached.get();
        if (data == null) {
            RawImages raw = read(info, split, dir);
            data = raw.normalised(info.name(), info.numClasses(), info.mean(), info.std());
            CACHE.put(key, new SoftReference<>(data));
        }
        return data;
    }

    private static RawImages read(DatasetInfo info, String split, Path dir) {
        List<String> files = info.files(split);
        RawImages raw = switch (info.name()) {
            case "mnist", "fashion-mnist" -> IdxReader.read(file(dir, files.get(0), true),
                    file(dir, files.get(1), true), info.numClasses());
            case "cifar10", "cifar100" -> {
                List<RawImages> parts = new ArrayList<>();
                for (String f : files) {
                    parts.add(CifarBinaryReader.read(file(dir, f, false), "cifar100".equals(info.name()) ? 2 : 1,
                            info.numClasses()));
                }
                yield RawImages.concat(parts);
            }
            case "svhn" -> SvhnMatReader.read(file(dir, files.get(0), false));
            default -> throw new IllegalArgumentException("no reader for " + info.name());
        };
        if (raw.channels() != info.channels() || raw.height() != info.height() || raw.width() != info.width()) {
            throw new DatasetUnavailableException("malformed " + info.name() + " files in " + dir + ": images are "
                    + raw.channels() + "x" + raw.height() + "x" + raw.width() + ", expected " + info.channels() + "x"
                    + info.height() + "x" + info.width());
        }
        return raw;
    }

    private static Path file(Path dir, String name, boolean gzipAllowed) {
        return DataRoots.resolveFile(dir, name, gzipAllowed)
                .orElseThrow(() -> new DatasetUnavailableException("missing " + dir.resolve(name)));
    }
}
