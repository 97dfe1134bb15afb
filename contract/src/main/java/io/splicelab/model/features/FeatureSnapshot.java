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
 * global-average-pooled over space), and the n labels. The artifact format is documented so that a
 * consumer in any language can read it: big-endian, magic {@code SLFS}, int version (1), int n,
 * n ints of labels, int number of cuts, then per cut: UTF-8 name (Java modified UTF: u16 length +
 * bytes), int rows (= n), int cols, rows*cols float32 in row-major order.
 */
public record FeatureSnapshot(int[] labels, Map<String, float[][]> features) {
    public static final String MEDIA_TYPE = "application/vnd.splicelab.feature-snapshot";
    private static final int MAGIC = 0x534C4653; // "SLFS"
    private static final int VERSION = 1;

    public byte[] encode() {
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

    /** Reads the artifact format; a malformed artifact gives an IllegalArgumentException saying why. */
    public static FeatureSnapshot decode(byte[] data) {
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
