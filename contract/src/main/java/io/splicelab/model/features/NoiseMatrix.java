package io.splicelab.model.features;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A dense float32 matrix artifact: the SGD noise samples of a checkpoint (m x p, one row per minibatch,
 * {@code g_i - mean g}) or a parameter update (1 x p). Documented so that any language can read it:
 * big-endian header, magic {@code SLNM}, int version (1), int rows, long cols, then rows*cols float32
 * values in row-major order, little-endian (the bulk is written as it lies in memory on x86 and GPUs).
 */
public record NoiseMatrix(int rows, long cols, float[] values) {
    public static final String MEDIA_TYPE = "application/vnd.splicelab.noise-matrix";
    private static final int MAGIC = 0x534C4E4D; // "SLNM"
    private static final int VERSION = 1;
    private static final int HEADER = 4 + 4 + 4 + 8;

    public NoiseMatrix {
        if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException("values do not match " + rows + " x " + cols);
        }
    }

    /** Row i as a new array. */
    public float[] row(int i) {
        float[] out = new float[(int) cols];
        System.arraycopy(values, (int) (i * cols), out, 0, (int) cols);
        return out;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + values.length * 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(rows);
            out.writeLong(cols);
            ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(values);
            out.write(buf.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads the artifact format; a malformed artifact gives an IllegalArgumentException saying why. */
    public static NoiseMatrix decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (data.length < HEADER || in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a noise matrix (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported noise matrix version " + version);
            }
            int rows = in.readInt();
            long cols = in.readLong();
            if (rows < 0 || cols < 0 || (long) rows * cols * 4 != data.length - HEADER) {
                throw new IllegalArgumentException("noise matrix of " + rows + " x " + cols + " needs "
                        + ((long) rows * cols * 4 + HEADER) + " bytes, has " + data.length);
            }
            float[] values = new float[(int) (rows * cols)];
            ByteBuffer.wrap(data, HEADER, data.length - HEADER).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(values);
            return new NoiseMatrix(rows, cols, values);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated noise matrix", e);
        }
    }
}
