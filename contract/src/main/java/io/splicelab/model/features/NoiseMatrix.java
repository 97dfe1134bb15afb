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
 * {@code g_i - mean g}) or a parameter update (1 x p). The artifact is a NumPy {@code .npy} (float32, shape
 * (rows, cols)) that {@code numpy.load} opens as it is. Matrices written before the move to NumPy (magic
 * {@code SLNM}) are still read.
 */
public record NoiseMatrix(int rows, long cols, float[] values) {
    public static final String MEDIA_TYPE = Npy.NPY_MEDIA_TYPE;
    private static final int MAGIC = 0x534C4E4D; // "SLNM", the format before .npy
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

    /** The matrix as a {@code .npy} array. */
    public byte[] encode() {
        return Npy.floats(values, rows, cols);
    }

    /** The SLNM format written before the move to NumPy (kept so that earlier stores stay readable). */
    byte[] encodeSlnm() {
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

    /**
     * Reads a matrix ({@code .npy}, or the earlier SLNM format); a malformed artifact gives an
     * IllegalArgumentException saying why.
     */
    public static NoiseMatrix decode(byte[] data) {
        if (data.length >= 4 && ByteBuffer.wrap(data).getInt() == MAGIC) {
            return decodeSlnm(data);
        }
        Npy.Array array = Npy.read(data);
        long[] shape = array.matrixShape();
        if (shape[0] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("noise matrix with " + shape[0] + " rows");
        }
        return new NoiseMatrix((int) shape[0], shape[1], array.floats());
    }

    private static NoiseMatrix decodeSlnm(byte[] data) {
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
