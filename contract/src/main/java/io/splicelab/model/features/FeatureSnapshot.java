package io.splicelab.model.features;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probe-set features of one checkpoint: for each cut an n x C_d matrix (activations at the cut,
 * global-average-pooled over space), and the n labels. The artifact is a NumPy {@code .npz} so that a user
 * opens it with {@code numpy.load}: {@code labels} (int32, n) and one float32 n x C_d array per cut, named by
 * the cut, in depth order. Snapshots written before the move to NumPy (magic {@code SLFS}) are still read.
 */
public record FeatureSnapshot(int[] labels, Map<String, float[][]> features) {
    public static final String MEDIA_TYPE = Npy.NPZ_MEDIA_TYPE;
    /** The array of an archive that holds the labels (no cut may take this name). */
    public static final String LABELS = "labels";
    private static final int MAGIC = 0x534C4653; // "SLFS", the format before .npz
    private static final int VERSION = 1;

    /** The snapshot as an {@code .npz} archive. */
    public byte[] encode() {
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put(LABELS, Npy.ints(labels, labels.length));
        for (Map.Entry<String, float[][]> e : features.entrySet()) {
            if (LABELS.equals(e.getKey())) {
                throw new IllegalArgumentException("a cut cannot be named " + LABELS);
            }
            float[][] m = e.getValue();
            int cols = m.length == 0 ? 0 : m[0].length;
            float[] flat = new float[m.length * cols];
            for (int r = 0; r < m.length; r++) {
                if (m[r].length != cols) {
                    throw new IllegalArgumentException("ragged features at cut " + e.getKey());
                }
                System.arraycopy(m[r], 0, flat, r * cols, cols);
            }
            arrays.put(e.getKey(), Npy.floats(flat, m.length, cols));
        }
        return Npy.npz(arrays);
    }

    /**
     * Reads a snapshot ({@code .npz}, or the earlier SLFS format); a malformed artifact gives an
     * IllegalArgumentException saying why.
     */
    public static FeatureSnapshot decode(byte[] data) {
        if (data.length >= 4 && java.nio.ByteBuffer.wrap(data).getInt() == MAGIC) {
            return decodeSlfs(data);
        }
        Map<String, Npy.Array> arrays = Npy.readNpz(data, 64L * data.length + (1 << 20));
        Npy.Array labelArray = arrays.get(LABELS);
        if (labelArray == null) {
            throw new IllegalArgumentException("feature snapshot without a labels array; arrays " + arrays.keySet());
        }
        int[] labels = labelArray.ints();
        Map<String, float[][]> features = new LinkedHashMap<>();
        for (Map.Entry<String, Npy.Array> e : arrays.entrySet()) {
            if (LABELS.equals(e.getKey())) {
                continue;
            }
            long[] shape = e.getValue().header().shape();
            if (shape.length != 2 || shape[0] != labels.length) {
                throw new IllegalArgumentException("bad shape " + java.util.Arrays.toString(shape) + " for cut "
                        + e.getKey() + " of " + labels.length + " samples");
            }
            float[] flat = e.getValue().floats();
            int cols = (int) shape[1];
            float[][] m = new float[labels.length][cols];
            for (int r = 0; r < m.length; r++) {
                System.arraycopy(flat, r * cols, m[r], 0, cols);
            }
            features.put(e.getKey(), m);
        }
        return new FeatureSnapshot(labels, features);
    }

    /** The SLFS format written before the move to NumPy (kept so that earlier stores stay readable). */
    byte[] encodeSlfs() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeInt(l);
            }
            out.writeInt(features.size());
            for (Map.Entry<String, float[][]> e : features.entrySet()) {
                out.writeUTF(e.getKey());
                float[][] m = e.getValue();
                out.writeInt(m.length);
                int cols = m.length == 0 ? 0 : m[0].length;
                out.writeInt(cols);
                for (float[] row : m) {
                    for (float v : row) {
                        out.writeFloat(v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static FeatureSnapshot decodeSlfs(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a feature snapshot (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported feature snapshot version " + version);
            }
            int n = in.readInt();
            if (n < 0 || n > data.length / 4) {
                throw new IllegalArgumentException("bad label count " + n);
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
            }
            int cuts = in.readInt();
            Map<String, float[][]> features = new LinkedHashMap<>();
            for (int c = 0; c < cuts; c++) {
                String name = in.readUTF();
                int rows = in.readInt();
                int cols = in.readInt();
                if (rows != n || cols < 0 || (long) rows * cols * 4 > data.length) {
                    throw new IllegalArgumentException("bad shape " + rows + "x" + cols + " for cut " + name);
                }
                float[][] m = new float[rows][cols];
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < cols; k++) {
                        m[r][k] = in.readFloat();
                    }
                }
                features.put(name, m);
            }
            return new FeatureSnapshot(labels, features);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated feature snapshot", e);
        }
    }
}
