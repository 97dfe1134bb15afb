package io.splicelab.model.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Our .npy/.npz against files numpy itself wrote (src/test/resources/npy). */
class NpyTest {
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void writesTheBytesNumpyWrites() throws IOException {
        assertArrayEquals(resource("floats_2x3.npy"), Npy.floats(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3));
        assertArrayEquals(resource("ints_5.npy"), Npy.ints(new int[] {3, 1, 4, 1, 5}, 5));
        assertArrayEquals(resource("longs_1.npy"), Npy.longs(new long[] {7}, 1));
        assertArrayEquals(resource("string.npy"), Npy.string("sgd"));
    }

    @Test
    void readsWhatNumpyWrites() throws IOException {
        Npy.Array f = Npy.read(resource("floats_2x3.npy"));
        assertArrayEquals(new long[] {2, 3}, f.shape());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, f.floats());
        assertArrayEquals(new float[] {1.5f, -2f}, Npy.read(resource("big_endian_f4.npy")).floats());
        assertEquals("sgd", Npy.read(resource("string.npy")).string());
        for (String archive : List.of("snapshot.npz", "snapshot_compressed.npz")) {
            FeatureSnapshot s = FeatureSnapshot.decode(resource(archive));
            assertArrayEquals(new int[] {0, 1, 1}, s.labels(), archive);
            assertArrayEquals(new float[] {5, 6}, s.features().get("stem")[2], archive);
        }
        assertEquals(List.of("stem", "stage1"), List.copyOf(FeatureSnapshot.decode(resource("snapshot.npz"))
                .features().keySet()));
    }

    @Test
    void snapshotsAndNoiseRoundTripAndEncodeTheSameBytesTwice() {
        FeatureSnapshot s = new FeatureSnapshot(new int[] {2, 0},
                new java.util.LinkedHashMap<>(Map.of("stem", new float[][] {{1, 2, 3}, {4, 5, 6}})));
        byte[] first = s.encode();
        assertArrayEquals(first, s.encode(), "deterministic: the artifact store refuses other content under a key");
        FeatureSnapshot back = FeatureSnapshot.decode(first);
        assertArrayEquals(new float[] {4, 5, 6}, back.features().get("stem")[1]);
        NoiseMatrix m = new NoiseMatrix(2, 3, new float[] {1, 2, 3, 4, 5, 6});
        NoiseMatrix n = NoiseMatrix.decode(m.encode());
        assertEquals(2, n.rows());
        assertEquals(3, n.cols());
        assertArrayEquals(m.values(), n.values());
    }

    @Test
    void artifactsOfTheEarlierFormatsAreStillRead() {
        FeatureSnapshot s = new FeatureSnapshot(new int[] {1}, Map.of("stage2", new float[][] {{0.5f}}));
        assertArrayEquals(new float[] {0.5f}, FeatureSnapshot.decode(s.encodeSlfs()).features().get("stage2")[0]);
        NoiseMatrix m = new NoiseMatrix(1, 2, new float[] {7, 8});
        assertArrayEquals(new float[] {7, 8}, NoiseMatrix.decode(m.encodeSlnm()).values());
    }

    @Test
    void malformedInputSaysWhatIsWrong() throws IOException {
        byte[] npy = Npy.floats(new float[] {1, 2}, 2);
        byte[] truncated = java.util.Arrays.copyOf(npy, npy.length - 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(truncated)).getMessage()
                .contains("needs 8 bytes"));
        assertThrows(IllegalArgumentException.class, () -> Npy.read(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Npy.read(npy).ints());
        assertThrows(IllegalArgumentException.class, () -> FeatureSnapshot.decode(new byte[] {9, 9, 9, 9, 9}));
        // an archive whose entries expand beyond the limit is refused while reading, not after
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("labels.npy"));
            zip.write(new byte[1 << 20]);
            zip.closeEntry();
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.readNpz(bytes.toByteArray(), 1000))
                .getMessage().contains("expands beyond"));
    }
}
