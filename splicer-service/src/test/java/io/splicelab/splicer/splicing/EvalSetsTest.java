package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.data.DatasetUnavailableException;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.LabelNoise;
import io.splicelab.model.data.corruptions.Corruptions;
import io.splicelab.model.events.RunConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSetsTest {
    static final int TEST_IMAGES = 40;

    @TempDir
    Path dir;

    static RunConfig config(String dataset, long seed, int evalSize, Double labelNoise, String dataDir) {
        return new RunConfig(null, null, dataset, null, null, null, null, null, seed, null, evalSize, null, null, null,
                null, null, null, null, null, null, null, labelNoise, null, null, null, null, null, null, null, null,
                dataDir, null).withDefaults();
    }

    static List<String> names(List<ImageDataset> sets) {
        return sets.stream().map(ImageDataset::name).toList();
    }

    @Test
    void aLabelNoiseRunIsEvaluatedAgainstTheLabelsItTrainedOnAndTheTrueOnes() {
        RunConfig noisy = config("synthetic", 4, 300, 0.5, null);
        List<ImageDataset> sets = EvalSets.resolve(List.of("test", "train"), noisy);
        assertEquals(List.of("test", "train", "train-noisy"), names(sets));
        ImageDataset clean = sets.get(1);
        ImageDataset trained = sets.get(2);
        assertEquals(clean.pixels().length, trained.pixels().length);
        assertArrayEquals(clean.pixels(), trained.pixels(), "the same images");

        ImageDataset train = Datasets.train(noisy);
        int[] indices = Datasets.trainEvalIndices(noisy, train);
        int[] noisyLabels = LabelNoise.apply(train.labels(), train.numClasses(), 0.5, 4);
        int differ = 0;
        for (int i = 0; i < indices.length; i++) {
            assertEquals(train.labels()[indices[i]], clean.labels()[i], "train: the true labels");
            assertEquals(noisyLabels[indices[i]], trained.labels()[i], "train-noisy: the labels the run trained on");
            differ += clean.labels()[i] != trained.labels()[i] ? 1 : 0;
        }
        assertArrayEquals(indices, clean.splitIndices(), "each image's row in the training split");
        assertArrayEquals(indices, trained.splitIndices(), "relabelled, the same images");
        assertArrayEquals(Datasets.evalIndices(noisy, Datasets.test(noisy)), sets.get(0).splitIndices(),
                "each image's row in the test split");
        // half relabelled uniformly over 10 classes: about 45% differ
        assertTrue(differ > 0.3 * indices.length && differ < 0.6 * indices.length, "differ " + differ);

        // a run without label noise has the one training set; naming train-noisy gives the same labels
        RunConfig plain = config("synthetic", 4, 300, null, null);
        assertEquals(List.of("train"), names(EvalSets.resolve(List.of("train", "train"), plain)));
        List<ImageDataset> both = EvalSets.resolve(List.of("train", "train-noisy"), plain);
        assertArrayEquals(both.get(0).labels(), both.get(1).labels());
    }

    @Test
    void corruptionsAreComputedOnTheFlyForTheTestSubset() {
        RunConfig c = config("synthetic", 2, 50, null, null);
        List<ImageDataset> sets = EvalSets.resolve(List.of("test", "fog-3", "elastic_transform-2"), c);
        assertEquals(List.of("test", "fog-3", "elastic_transform-2"), names(sets));
        assertArrayEquals(sets.get(0).labels(), sets.get(1).labels());
        assertArrayEquals(sets.get(0).splitIndices(), sets.get(1).splitIndices(), "corrupted, the same test images");
        ImageDataset again = EvalSets.resolve(List.of("fog-3"), c).get(0);
        assertArrayEquals(sets.get(1).pixels(), again.pixels(), "seeded");
        assertNotEquals(sets.get(0).pixels()[0], sets.get(1).pixels()[0]);

        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalSets.resolve(List.of("fog-6"), c))
                .getMessage().contains("1..5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalSets.resolve(List.of("mist-2"), c))
                .getMessage().contains("unknown corruption mist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalSets.resolve(List.of("frost-2"), c))
                .getMessage().contains("cifar10"));
    }

    /** A CIFAR-10 test split of 40 images: image i has every byte (5 i + channel) mod 256, label i mod 10. */
    void writeCifar10Test(Path root) throws IOException {
        Path d = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        byte[] data = new byte[TEST_IMAGES * 3073];
        for (int i = 0; i < TEST_IMAGES; i++) {
            data[i * 3073] = (byte) (i % 10);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    data[i * 3073 + 1 + c * 1024 + p] = (byte) (5 * i + c);
                }
            }
        }
        Files.write(d.resolve("test_batch.bin"), data);
    }

    /** CIFAR-10-C files of a corruption: severity s of image i has every byte (5 i + channel + 50 s), HWC. */
    static void writeCorruption(Path d, String corruption) throws IOException {
        Files.createDirectories(d);
        byte[] images = new byte[5 * TEST_IMAGES * 3072];
        byte[] labels = new byte[5 * TEST_IMAGES];
        for (int s = 1; s <= 5; s++) {
            for (int i = 0; i < TEST_IMAGES; i++) {
                int row = (s - 1) * TEST_IMAGES + i;
                labels[row] = (byte) (i % 10);
                for (int p = 0; p < 1024; p++) {
                    for (int c = 0; c < 3; c++) {
                        images[(row * 1024 + p) * 3 + c] = (byte) (5 * i + c + 50 * s);
                    }
                }
            }
        }
        Files.write(d.resolve(corruption + ".npy"), npy("|u1", "(" + 5 * TEST_IMAGES + ", 32, 32, 3)", images));
        Files.write(d.resolve("labels.npy"), npy("|u1", "(" + 5 * TEST_IMAGES + ",)", labels));
    }

    static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length())
                .array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void theOfficialCifar10cFilesArePreferredWhenPresentAndFrostComesOnlyFromThem() throws IOException {
        writeCifar10Test(dir);
        writeCorruption(dir.resolve("CIFAR-10-C"), "fog");
        writeCorruption(dir.resolve("CIFAR-10-C"), "frost");
        RunConfig c = config("cifar10", 3, 20, null, dir.toString());
        DatasetInfo info = DatasetInfo.of("cifar10").orElseThrow();
        ImageDataset testSplit = Datasets.test(c);
        int[] indices = Datasets.evalIndices(c, testSplit);

        List<ImageDataset> sets = EvalSets.resolve(List.of("test", "fog-2", "frost-5", "gaussian_noise-1"), c);
        assertEquals(List.of("test", "fog-2", "frost-5", "gaussian_noise-1"), names(sets));
        ImageDataset test = sets.get(0);
        for (int k = 1; k <= 2; k++) {
            ImageDataset fromFile = sets.get(k);
            int severity = k == 1 ? 2 : 5;
            assertArrayEquals(test.labels(), fromFile.labels());
            assertArrayEquals(indices, fromFile.splitIndices(), "the test images asked for, by their row");
            for (int j = 0; j < indices.length; j++) {
                for (int ch = 0; ch < 3; ch++) {
                    int raw = (5 * indices[j] + ch + 50 * severity) & 0xFF;
                    float expected = (raw / 255f - info.mean()[ch]) / info.std()[ch];
                    assertEquals(expected, fromFile.pixels()[j * 3072 + ch * 1024 + 77], 1e-5, "read from the file");
                }
            }
        }
        // no file for gaussian noise: computed, with CIFAR-10's normalisation
        ImageDataset computed = Corruptions.apply(test, "gaussian_noise", 1, 3 * 31337 + 11, info.mean(), info.std());
        assertArrayEquals(computed.pixels(), sets.get(3).pixels());
        assertArrayEquals(indices, test.splitIndices());
        assertArrayEquals(indices, sets.get(3).splitIndices());

        // a configured directory comes first
        Path custom = dir.resolve("mine");
        writeCorruption(custom, "fog");
        byte[] npy = Files.readAllBytes(custom.resolve("fog.npy"));
        int severity2 = npy.length - 3072 * TEST_IMAGES * 4;
        for (int k = severity2; k < severity2 + 3072 * TEST_IMAGES; k++) {
            npy[k] ^= 1; // severity 2 differs from the data root's copy
        }
        Files.write(custom.resolve("fog.npy"), npy);
        ImageDataset preferred = EvalSets.resolve(List.of("fog-2"), c, custom.toString()).get(0);
        assertArrayEquals(sets.get(1).labels(), preferred.labels());
        assertNotEquals(sets.get(1).pixels()[0], preferred.pixels()[0]);

        // frost without files: a clear error naming the files and where they were looked for
        Path empty = Files.createDirectories(dir.resolve("other"));
        writeCifar10Test(empty);
        RunConfig elsewhere = config("cifar10", 3, 20, null, empty.toString());
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> EvalSets.resolve(List.of("frost-1"), elsewhere));
        assertTrue(e.getMessage().contains("frost.npy") && e.getMessage().contains(empty.toString()), e.getMessage());
        // and the computable ones fall back to the fly
        assertEquals("fog-2", EvalSets.resolve(List.of("fog-2"), elsewhere).get(0).name());
    }

    @Test
    void theWholeTestSetIsAllowed() throws IOException {
        writeCifar10Test(dir);
        RunConfig c = config("cifar10", 3, 100_000, null, dir.toString());
        assertEquals(List.of(), c.validate().stream().filter(f -> f.field().equals("evalSize")).toList());
        assertEquals(TEST_IMAGES, EvalSets.resolve(List.of("test"), c).get(0).size());
    }
}
