package io.splicelab.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sinks;

/** Every reader on small files written here, well-formed and malformed. */
class DatasetReadersTest {
    @TempDir
    Path dir;

    static byte[] idxImages(int n, int rows, int cols) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < n * rows * cols; i++) {
            out.writeByte(i % 256);
        }
        return bytes.toByteArray();
    }

    static byte[] idxLabels(int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x801);
        out.writeInt(labels.length);
        for (int l : labels) {
            out.writeByte(l);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsIdxPlainAndGzipped() throws IOException {
        Path img = Files.write(dir.resolve("img"), idxImages(3, 2, 2));
        Path lab = Files.write(dir.resolve("lab.gz"), gzip(idxLabels(1, 0, 9)));
        RawImages raw = IdxReader.read(img, lab, 10);
        assertEquals(3, raw.size());
        assertEquals(1, raw.channels());
        assertArrayEquals(new int[] {1, 0, 9}, raw.labels());
        assertEquals(5, raw.pixels()[5]);
    }

    @Test
    void refusesMalformedIdx() throws IOException {
        Path lab = Files.write(dir.resolve("lab"), idxLabels(1, 0, 9));
        byte[] good = idxImages(3, 2, 2);
        byte[] badMagic = good.clone();
        badMagic[3] = 0x01;
        Path bad = Files.write(dir.resolve("bad"), badMagic);
        assertTrue(assertThrows(DatasetUnavailableException.class, () -> IdxReader.read(bad, lab, 10)).getMessage()
                .contains("magic"));
        Path truncated = Files.write(dir.resolve("trunc"), java.util.Arrays.copyOf(good, good.length - 3));
        assertTrue(assertThrows(DatasetUnavailableException.class, () -> IdxReader.read(truncated, lab, 10))
                .getMessage().contains("truncated"));
        Path img = Files.write(dir.resolve("img"), good);
        Path fewer = Files.write(dir.resolve("fewer"), idxLabels(1, 0));
        assertThrows(DatasetUnavailableException.class, () -> IdxReader.read(img, fewer, 10));
        Path outOfRange = Files.write(dir.resolve("range"), idxLabels(1, 0, 12));
        assertThrows(DatasetUnavailableException.class, () -> IdxReader.read(img, outOfRange, 10));
    }

    static byte[] cifarRecords(int labelBytes, int... labels) {
        int record = labelBytes + 3072;
        byte[] out = new byte[labels.length * record];
        for (int i = 0; i < labels.length; i++) {
            out[i * record + labelBytes - 1] = (byte) labels[i];
            out[i * record + labelBytes] = (byte) (200 + i); // first red pixel
            out[i * record + labelBytes + 1024] = (byte) 7; // first green pixel
        }
        return out;
    }

    @Test
    void readsCifar10And100Binary() {
        RawImages c10 = CifarBinaryReader.read(write("c10.bin", cifarRecords(1, 3, 9)), 1, 10);
        assertArrayEquals(new int[] {3, 9}, c10.labels());
        assertEquals((byte) 201, c10.pixels()[3072]);
        assertEquals(7, c10.pixels()[1024]);
        byte[] c100 = cifarRecords(2, 42, 99);
        c100[0] = 5; // coarse label, ignored
        RawImages raw = CifarBinaryReader.read(write("c100.bin", c100), 2, 100);
        assertArrayEquals(new int[] {42, 99}, raw.labels());
    }

    @Test
    void refusesMalformedCifar() {
        byte[] records = cifarRecords(1, 3, 9);
        Path partial = write("partial.bin", java.util.Arrays.copyOf(records, records.length - 1));
        assertTrue(assertThrows(DatasetUnavailableException.class, () -> CifarBinaryReader.read(partial, 1, 10))
                .getMessage().contains("whole number"));
        Path badLabel = write("label.bin", cifarRecords(1, 3, 11));
        assertThrows(DatasetUnavailableException.class, () -> CifarBinaryReader.read(badLabel, 1, 10));
        assertThrows(DatasetUnavailableException.class, () -> CifarBinaryReader.read(dir.resolve("none.bin"), 1, 10));
    }

    @Test
    void readsSvhnMat() throws IOException {
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.UInt8);
        // image 1, channel 2, row 3, column 4 (column-major)
        x.setByte(3 + 32 * (4 + 32 * (2 + 3 * 1)), (byte) 99);
        Matrix y = Mat5.newMatrix(2, 1);
        y.setDouble(0, 10);
        y.setDouble(1, 4);
        Path file = dir.resolve("train_32x32.mat");
        Mat5.newMatFile().addArray("X", x).addArray("y", y).writeTo(Sinks.newStreamingFile(file.toFile())).close();
        RawImages raw = SvhnMatReader.read(file);
        assertArrayEquals(new int[] {0, 4}, raw.labels(), "label 10 is the digit 0");
        assertEquals(99, raw.pixels()[3072 + 2 * 1024 + 3 * 32 + 4]);
    }

    @Test
    void refusesMalformedSvhn() throws IOException {
        Path noLabels = dir.resolve("nolabels.mat");
        Mat5.newMatFile().addArray("X", Mat5.newMatrix(new int[] {32, 32, 3, 1}, MatlabType.UInt8))
                .writeTo(Sinks.newStreamingFile(noLabels.toFile())).close();
        assertThrows(DatasetUnavailableException.class, () -> SvhnMatReader.read(noLabels));
        Path garbage = write("garbage.mat", "not a mat file at all".getBytes());
        assertThrows(DatasetUnavailableException.class, () -> SvhnMatReader.read(garbage));
        Path wrongShape = dir.resolve("shape.mat");
        Mat5.newMatFile().addArray("X", Mat5.newMatrix(new int[] {32, 32, 1, 1}, MatlabType.UInt8))
                .addArray("y", Mat5.newMatrix(1, 1)).writeTo(Sinks.newStreamingFile(wrongShape.toFile())).close();
        assertTrue(assertThrows(DatasetUnavailableException.class, () -> SvhnMatReader.read(wrongShape)).getMessage()
                .contains("H x W x 3 x N"));
    }

    @Test
    void normalisesPerChannel() {
        RawImages raw = new RawImages(2, 1, 1, new byte[] {(byte) 255, 0}, new int[] {0});
        ImageDataset data = raw.normalised("t", 2, new float[] {0.5f, 0.5f}, new float[] {0.5f, 0.25f});
        assertEquals(1f, data.pixels()[0], 1e-6);
        assertEquals(-2f, data.pixels()[1], 1e-6);
    }

    private Path write(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
