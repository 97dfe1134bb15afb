package io.splicelab.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splicelab.model.events.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    static RunConfig config(String dataset, String dataDir, Integer trainSize) {
        return new RunConfig(null, null, dataset, 10, 4, null, null, null, 3L, trainSize, 10, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, dataDir,
                null).withDefaults();
    }

    @Test
    void aMissingDatasetNamesTheFilesAndWhereItLooked() {
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> Datasets.train(config("cifar10", dir.toString(), null)));
        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("cifar-10-batches-bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("/usr/share/datasets"), e.getMessage());
    }

    @Test
    void readsAnMnistLikeDirectoryNormalisedAndTakesAStratifiedSubset() throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        int n = 40;
        int[] labels = new int[n];
        java.util.Arrays.setAll(labels, i -> i % 10);
        Files.write(mnist.resolve("train-images-idx3-ubyte.gz"),
                DatasetReadersTest.gzip(DatasetReadersTest.idxImages(n, 28, 28)));
        Files.write(mnist.resolve("train-labels-idx1-ubyte"), DatasetReadersTest.idxLabels(labels));
        ImageDataset all = Datasets.train(config("mnist", dir.toString(), null));
        assertEquals(n, all.size());
        assertEquals(1, all.channels());
        assertEquals((0 / 255f - 0.1307f) / 0.3081f, all.pixels()[0], 1e-6);
        ImageDataset some = Datasets.train(config("mnist", dir.toString(), 20));
        assertEquals(20, some.size());
        // the test split is missing: a clear error, not a partial dataset
        assertThrows(DatasetUnavailableException.class, () -> Datasets.test(config("mnist", dir.toString(), null)));
    }

    @Test
    void aMalformedFileIsReportedWithItsPath() throws IOException {
        Path c10 = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(c10.resolve("train.bin"), new byte[100]);
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> Datasets.train(config("cifar100", dir.toString(), null)));
        assertTrue(e.getMessage().contains("train.bin"), e.getMessage());
    }

    @Test
    void findsDebiansFashionMnistWithoutConfiguration() {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "apt-get install dataset-fashion-mnist");
        RunConfig config = config("fashion-mnist", null, null);
        ImageDataset test = Datasets.test(config);
        assertEquals(10_000, test.size());
        assertEquals(28, test.height());
        assertEquals(60_000, config.trainSize());
    }

    @Test
    void downloadVerifiesTheChecksumAndKeepsNothingOnMismatch() throws IOException {
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.write(mirror.resolve(f), new byte[] {1, 2, 3});
        }
        Path root = Files.createDirectories(dir.resolve("root"));
        System.setProperty(DatasetDownloader.MIRROR_PROPERTY, mirror.toUri().toString());
        try {
            DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                    () -> DatasetDownloader.download(DatasetInfo.of("mnist").orElseThrow(), root));
            assertTrue(e.getMessage().contains("MD5"), e.getMessage());
            try (var files = Files.walk(root)) {
                assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing kept");
            }
        } finally {
            System.clearProperty(DatasetDownloader.MIRROR_PROPERTY);
        }
    }
}
