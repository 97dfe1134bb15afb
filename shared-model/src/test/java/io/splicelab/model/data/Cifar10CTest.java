package io.splicelab.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy reader and the CIFAR-10-C files, on small files written here (valid and broken). */
class Cifar10CTest {
    @TempDir
    Path dir;

    /** A .npy file as numpy writes it: magic, version, header padded so the data starts at a multiple of 64. */
    static byte[] npy(int major, String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(major);
        out.write(0);
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) header.length());
        } else {
            len.putInt(header.length());
        }
        out.writeBytes(len.array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] int64(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** Image i of severity s has every byte equal to (7 s + 3 i + channel) mod 256, HWC. */
    static byte[] images(int perSeverity) {
        byte[] data = new byte[5 * perSeverity * 32 * 32 * 3];
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < perSeverity; i++) {
                int row = s * perSeverity + i;
                for (int p = 0; p < 32 * 32; p++) {
                    for (int c = 0; c < 3; c++) {
                        data[(row * 1024 + p) * 3 + c] = (byte) (7 * (s + 1) + 3 * i + c);
                    }
                }
            }
        }
        return data;
    }

    static int[] labels(int perSeverity, int copies) {
        int[] l = new int[perSeverity * copies];
        for (int k = 0; k < l.length; k++) {
            l[k] = (k % perSeverity) % 10;
        }
        return l;
    }

    @Test
    void readsTheHeaderOfVersionsOneAndTwo() throws IOException {
        Path v1 = dir.resolve("v1.npy");
        Files.write(v1, npy(1, "|u1", "(5, 32, 32, 3)", new byte[5 * 3072]));
        NpyFile a = NpyFile.open(v1);
        assertEquals("|u1", a.descr());
        assertArrayEquals(new long[] {5, 32, 32, 3}, a.shape());
        assertEquals(0, a.dataOffset() % 64);
        assertEquals(3072, a.rowLength());
        Path v2 = dir.resolve("v2.npy");
        Files.write(v2, npy(2, "<i8", "(4,)", int64(new int[] {3, 1, 4, 1})));
        NpyFile b = NpyFile.open(v2);
        assertEquals("(4,)", b.shapeString());
        assertArrayEquals(new int[] {3, 1, 4, 1}, b.readInts());
        Path u1 = dir.resolve("u1.npy");
        Files.write(u1, npy(1, "|u1", "(3,)", new byte[] {(byte) 200, 0, 9}));
        assertArrayEquals(new int[] {200, 0, 9}, NpyFile.open(u1).readInts());
        Path be = dir.resolve("be.npy");
        Files.write(be, npy(1, ">i4", "(2,)", new byte[] {0, 0, 1, 2, (byte) 255, (byte) 255, (byte) 255, (byte) 254}));
        assertArrayEquals(new int[] {258, -2}, NpyFile.open(be).readInts());
    }

    @Test
    void malformedFilesAreClearErrorsNamingTheFile() throws IOException {
        Path magic = dir.resolve("magic.npy");
        byte[] good = npy(1, "|u1", "(5, 32, 32, 3)", new byte[5 * 3072]);
        byte[] broken = good.clone();
        broken[1] = 'X';
        Files.write(magic, broken);
        assertMessage(magic, "bad magic");

        Path dtype = dir.resolve("dtype.npy");
        Files.write(dtype, npy(1, "<f4", "(2,)", new byte[8]));
        assertMessage(dtype, "unsupported dtype <f4");

        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, Arrays.copyOf(good, good.length - 100));
        assertMessage(truncated, "truncated");

        Path header = dir.resolve("header.npy");
        Files.write(header, Arrays.copyOf(good, 30));
        assertMessage(header, "truncated header");

        Path empty = dir.resolve("empty.npy");
        Files.write(empty, new byte[3]);
        assertMessage(empty, "too short");

        Path fortran = dir.resolve("fortran.npy");
        Files.write(fortran, new String(npy(1, "|u1", "(2,)", new byte[2]), StandardCharsets.ISO_8859_1)
                .replace("False", "True ").getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(fortran, "Fortran");

        Path version = dir.resolve("version.npy");
        byte[] v9 = good.clone();
        v9[6] = 9;
        Files.write(version, v9);
        assertMessage(version, "version 9");

        // a valid file of the wrong element type for images
        Path wrong = dir.resolve("wrong.npy");
        Files.write(wrong, npy(1, "<i8", "(5, 32, 32, 3)", new byte[5 * 3072 * 8]));
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> NpyFile.open(wrong).requireUint8());
        assertTrue(e.getMessage().contains(wrong.toString()) && e.getMessage().contains("|u1"), e.getMessage());
    }

    private static void assertMessage(Path file, String part) {
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> NpyFile.open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void readsOneSeverityForTheTestIndicesNormalisedAndChecksTheLabels() throws IOException {
        int per = 12;
        Path c10c = Files.createDirectories(dir.resolve(Cifar10C.DIRECTORY));
        Files.write(c10c.resolve("fog.npy"), npy(1, "|u1", "(60, 32, 32, 3)", images(per)));
        Files.write(c10c.resolve(Cifar10C.LABELS), npy(1, "|u1", "(60,)", toBytes(labels(per, 5))));
        float[] mean = {0.5f, 0.4f, 0.3f};
        float[] std = {0.2f, 0.25f, 0.3f};
        int[] indices = {1, 4, 11};
        int[] testLabels = {1, 4, 1};

        // found through the data-root convention (dataDir/CIFAR-10-C) and directly
        assertEquals(Optional.of(c10c), Cifar10C.find("fog", null, dir.toString()));
        assertEquals(Optional.of(c10c), Cifar10C.find("fog", c10c.toString(), null));
        assertTrue(Cifar10C.find("frost", null, dir.toString()).isEmpty());
        assertTrue(Cifar10C.missingMessage("frost", null, dir.toString()).contains(c10c.toString()));

        ImageDataset d = Cifar10C.read(c10c, "fog", 3, indices, testLabels, "fog-3", 10, mean, std);
        assertEquals("fog-3", d.name());
        assertArrayEquals(testLabels, d.labels());
        for (int j = 0; j < indices.length; j++) {
            for (int c = 0; c < 3; c++) {
                int raw = (7 * 3 + 3 * indices[j] + c) & 0xFF;
                float expected = (raw / 255f - mean[c]) / std[c];
                assertEquals(expected, d.pixels()[j * 3072 + c * 1024], 1e-6);
                assertEquals(expected, d.pixels()[j * 3072 + c * 1024 + 1023], 1e-6);
            }
        }
        // labels of only one severity's length are allowed too
        Files.write(c10c.resolve(Cifar10C.LABELS), npy(2, "<i8", "(12,)", int64(labels(per, 1))));
        assertArrayEquals(testLabels, Cifar10C.read(c10c, "fog", 5, indices, testLabels, "fog-5", 10, mean, std)
                .labels());
        // files that do not match the test set are refused
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> Cifar10C.read(c10c, "fog", 1, indices, new int[] {1, 4, 2}, "fog-1", 10, mean, std));
        assertTrue(e.getMessage().contains("does not match the test set"), e.getMessage());
        e = assertThrows(DatasetUnavailableException.class,
                () -> Cifar10C.read(c10c, "fog", 1, new int[] {12}, null, "fog-1", 10, mean, std));
        assertTrue(e.getMessage().contains("12 images per severity"), e.getMessage());
        Files.write(c10c.resolve("snow.npy"), npy(1, "|u1", "(61, 32, 32, 3)", new byte[61 * 3072]));
        e = assertThrows(DatasetUnavailableException.class,
                () -> Cifar10C.read(c10c, "snow", 1, indices, null, "snow-1", 10, mean, std));
        assertTrue(e.getMessage().contains("snow.npy") && e.getMessage().contains("5 severities"), e.getMessage());
        Files.write(c10c.resolve("zoom_blur.npy"), npy(1, "|u1", "(60, 28, 28, 1)", new byte[60 * 784]));
        e = assertThrows(DatasetUnavailableException.class,
                () -> Cifar10C.read(c10c, "zoom_blur", 1, indices, null, "zoom_blur-1", 10, mean, std));
        assertTrue(e.getMessage().contains("expected (N, 32, 32, 3)"), e.getMessage());
    }

    static byte[] toBytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void labelNoiseIsSeededAndChangesTheRequestedFraction() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        assertArrayEquals(labels, LabelNoise.apply(labels, 10, 0, 1));
        int[] half = LabelNoise.apply(labels, 10, 0.5, 1);
        assertArrayEquals(half, LabelNoise.apply(labels, 10, 0.5, 1));
        int changed = 0;
        for (int i = 0; i < labels.length; i++) {
            changed += half[i] != labels[i] ? 1 : 0;
        }
        // 500 relabelled uniformly: about 450 differ from the truth
        assertTrue(changed > 400 && changed <= 500, "changed " + changed);
        assertEquals(0, labels[10], "the input is not changed");
    }
}
