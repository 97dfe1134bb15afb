package io.splicelab.model.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The official CIFAR-10-C files (Hendrycks and Dietterich 2019): {@code <corruption>.npy}, unsigned bytes
 * of shape {@code (5 n, 32, 32, 3)} (HWC, severities 1-5 one after the other, each the n = 10000
 * CIFAR-10 test images in test-set order) and {@code labels.npy} (any integer dtype, 5 n or n entries).
 * Row {@code (severity - 1) n + i} is test image i, so a seeded test subset picks the same images from the
 * files as from the test set, and the labels are checked against the test set's.
 *
 * <p>Where the files are looked for, in order: the configured directory and its {@code CIFAR-10-C}
 * sub-directory, then the {@code CIFAR-10-C} sub-directory of every data root of {@link DataRoots} (the
 * run's dataDir, {@code -Dsplicelab.datasets.dir}, {@code SPLICELAB_DATASETS_DIR},
 * {@code /usr/share/datasets}): the directory the official tarball extracts to.
 */
public final class Cifar10C {
    /** The directory the official {@code CIFAR-10-C.tar} extracts to. */
    public static final String DIRECTORY = "CIFAR-10-C";
    public static final String LABELS = "labels.npy";
    public static final int SEVERITIES = 5;

    private Cifar10C() {
    }

    /** The directories looked in, in order. */
    public static List<Path> candidates(String configured, String dataDir) {
        Set<Path> out = new LinkedHashSet<>();
        if (configured != null && !configured.isBlank()) {
            out.add(Path.of(configured));
            out.add(Path.of(configured).resolve(DIRECTORY));
        }
        for (Path root : DataRoots.roots(dataDir)) {
            out.add(root.resolve(DIRECTORY));
        }
        return new ArrayList<>(out);
    }

    /** The first directory with {@code <corruption>.npy} and {@code labels.npy}; empty when none has both. */
    public static Optional<Path> find(String corruption, String configured, String dataDir) {
        for (Path dir : candidates(configured, dataDir)) {
            if (Files.isRegularFile(dir.resolve(corruption + ".npy")) && Files.isRegularFile(dir.resolve(LABELS))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** Why a corruption's files were not found: the files and every place looked in. */
    public static String missingMessage(String corruption, String configured, String dataDir) {
        return "CIFAR-10-C files " + corruption + ".npy and " + LABELS + " not found in any of "
                + candidates(configured, dataDir) + "; set splicelab.splicer.cifar10c-dir or put the extracted "
                + DIRECTORY + " directory in a data root";
    }

    /**
     * One severity of a corruption for the given test-set indices, normalised as {@code (x / 255 - mean) /
     * std} per channel, CHW, named {@code name}.
     *
     * @param testLabels the labels of those test images, checked against the file's labels (null: no check)
     */
    public static ImageDataset read(Path dir, String corruption, int severity, int[] testIndices, int[] testLabels,
            String name, int numClasses, float[] mean, float[] std) {
        if (severity < 1 || severity > SEVERITIES) {
            throw new IllegalArgumentException("severity must be 1..5, was " + severity);
        }
        Path imagesFile = dir.resolve(corruption + ".npy");
        NpyFile images = NpyFile.open(imagesFile);
        images.requireUint8();
        images.requireShape(-1, 32, 32, 3);
        long rows = images.rows();
        if (rows == 0 || rows % SEVERITIES != 0) {
            throw new DatasetUnavailableException("malformed CIFAR-10-C file " + imagesFile + ": " + rows
                    + " rows, expected 5 severities of the same number of images");
        }
        int perSeverity = (int) (rows / SEVERITIES);
        Path labelsFile = dir.resolve(LABELS);
        NpyFile labelsNpy = NpyFile.open(labelsFile);
        if (labelsNpy.shape().length != 1 || (labelsNpy.rows() != rows && labelsNpy.rows() != perSeverity)) {
            throw new DatasetUnavailableException("malformed CIFAR-10-C file " + labelsFile + ": shape "
                    + labelsNpy.shapeString() + ", expected (" + rows + ",) or (" + perSeverity + ",) to match "
                    + imagesFile.getFileName());
        }
        int[] allLabels = labelsNpy.readInts();
        int labelOffset = allLabels.length == rows ? (severity - 1) * perSeverity : 0;
        byte[] block = images.readBytes((long) (severity - 1) * perSeverity, perSeverity);
        int plane = 32 * 32;
        int size = 3 * plane;
        float[] pixels = new float[testIndices.length * size];
        int[] labels = new int[testIndices.length];
        for (int j = 0; j < testIndices.length; j++) {
            int i = testIndices[j];
            if (i < 0 || i >= perSeverity) {
                throw new DatasetUnavailableException("CIFAR-10-C file " + imagesFile + " has " + perSeverity
                        + " images per severity, test image " + i + " was asked for");
            }
            int label = allLabels[labelOffset + i];
            if (label < 0 || label >= numClasses) {
                throw new DatasetUnavailableException("malformed CIFAR-10-C file " + labelsFile + ": label " + label
                        + " at row " + (labelOffset + i));
            }
            if (testLabels != null && testLabels[j] != label) {
                throw new DatasetUnavailableException("CIFAR-10-C file " + labelsFile + " does not match the test set:"
                        + " row " + (labelOffset + i) + " has label " + label + ", test image " + i + " has "
                        + testLabels[j]);
            }
            labels[j] = label;
            int src = i * size;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    int v = block[src + p * 3 + c] & 0xFF;
                    pixels[j * size + c * plane + p] = (v / 255f - mean[c]) / std[c];
                }
            }
        }
        // row i of a severity is test image i: the set's split indices are the test indices it was asked for
        return new ImageDataset(name, 3, 32, 32, numClasses, pixels, labels, testIndices.clone());
    }
}
