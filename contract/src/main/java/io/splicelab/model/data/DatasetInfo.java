package io.splicelab.model.data;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is known about a dataset before reading it: shape, sizes, the per-channel normalisation, the
 * augmentation that makes sense for it, and the official files a split is read from. Lets a
 * configuration be validated (and its steps per epoch computed) without touching the files.
 *
 * @param name the dataset name used in run configurations
 * @param directory the sub-directory of a data root the files are looked for in
 * @param trainFiles the official files of the training split, relative to {@code directory}
 * @param testFiles the official files of the test split
 * @param defaultAugmentation {@code crop+flip} for natural images, {@code crop} for digits in
 *     colour photographs, {@code flip} where a mirrored example is still of its class, {@code none}
 */
public record DatasetInfo(String name, String directory, int trainSize, int testSize, int channels, int height,
        int width, int numClasses, float[] mean, float[] std, String defaultAugmentation, List<String> trainFiles,
        List<String> testFiles) {
    /** Test images of the seeded synthetic dataset. */
    public static final int SYNTHETIC_TEST_SIZE = 2000;


    private static final List<String> MNIST_TRAIN = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte");
    private static final List<String> MNIST_TEST = List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** Every dataset with official files, by name. */
    public static final Map<String, DatasetInfo> KNOWN = Map.of(
            "cifar10", new DatasetInfo("cifar10", "cifar-10-batches-bin", 50_000, 10_000, 3, 32, 32, 10,
                    new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f}, "crop+flip",
                    List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                            "data_batch_5.bin"),
                    List.of("test_batch.bin")),
            "cifar100", new DatasetInfo("cifar100", "cifar-100-binary", 50_000, 10_000, 3, 32, 32, 100,
                    new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f}, "crop+flip",
                    List.of("train.bin"), List.of("test.bin")),
            "mnist", new DatasetInfo("mnist", "mnist", 60_000, 10_000, 1, 28, 28, 10, new float[] {0.1307f},
                    new float[] {0.3081f}, "none", MNIST_TRAIN, MNIST_TEST),
            "fashion-mnist", new DatasetInfo("fashion-mnist", "fashion-mnist", 60_000, 10_000, 1, 28, 28, 10,
                    new float[] {0.2860f}, new float[] {0.3530f}, "flip", MNIST_TRAIN, MNIST_TEST),
            "svhn", new DatasetInfo("svhn", "svhn", 73_257, 26_032, 3, 32, 32, 10,
                    new float[] {0.4377f, 0.4438f, 0.4728f}, new float[] {0.1980f, 0.2010f, 0.1970f}, "crop",
                    List.of("train_32x32.mat"), List.of("test_32x32.mat")),
            "synthetic", new DatasetInfo("synthetic", "", 4000, SYNTHETIC_TEST_SIZE, 3, 32, 32, 10,
                    new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f}, "none", List.of(), List.of()));

    public static Optional<DatasetInfo> of(String name) {
        return Optional.ofNullable(name == null ? null : KNOWN.get(name));
    }

    /** Whether the dataset is read from files (everything but the synthetic set). */
    public boolean fromFiles() {
        return !trainFiles.isEmpty();
    }

    /** Whether the IDX files may be gzip-compressed (the MNIST family). */
    public boolean idx() {
        return channels == 1;
    }

    /** The files of a split ({@code train} or {@code test}). */
    public List<String> files(String split) {
        return "train".equals(split) ? trainFiles : testFiles;
    }
}
