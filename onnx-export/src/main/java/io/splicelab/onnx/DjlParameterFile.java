package io.splicelab.onnx;

import io.splicelab.onnx.Layer.BatchNorm;
import io.splicelab.onnx.Layer.Conv;
import io.splicelab.onnx.Layer.Linear;
import io.splicelab.onnx.Layer.Residual;
import io.splicelab.onnx.Layer.Sequence;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a checkpoint's parameters (shared-model's {@code Checkpoints.save}: DJL's {@code Block.saveParameters} of the
 * whole network) without DJL, along the network's {@link NetworkLayout}. DJL writes each block depth first as its
 * version byte, its metadata (the input shapes it was initialised with, and per block type a few more values), its
 * parameters and then its children; a parameter is {@code 'P'}, a version byte, its name and the array (DJL's
 * {@code NDSerializer} encoding: {@code "NDAR"}, version, name, sparse format, data type, shape, byte order, bytes).
 * Every version byte, parameter name, data type and shape is checked against the layout, and the file must end where
 * the network does, so a checkpoint of another network (or of a DJL that writes another format) is refused with
 * where and why, never read into the wrong places.
 */
public final class DjlParameterFile {
    // the versions DJL 0.36 writes (each block class's VERSION; Parameter.VERSION; NDSerializer.VERSION)
    private static final int SEQUENTIAL = 3;
    private static final int PARALLEL = 2;
    private static final int LAMBDA = 2;
    private static final int CONVOLUTION = 3;
    private static final int BATCH_NORM = 2;
    private static final int LINEAR = 4;
    private static final int PARAMETER = 1;
    private static final int ARRAY_MIN = 2;
    private static final int ARRAY_MAX = 3;
    /** Dimensions of a saved shape a reader accepts: far above any of the networks', far below a hostile file's. */
    private static final int MAX_RANK = 16;

    private final DataInputStream in;
    private final int size;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private DjlParameterFile(byte[] file) {
        this.in = new DataInputStream(new ByteArrayInputStream(file));
        this.size = file.length;
    }

    /** A parameter's values: float32, row-major, of the given shape. */
    public record Tensor(long[] shape, float[] values) {
    }

    /**
     * The parameters by {@link #key} (the layer's path in the layout and the parameter's DJL name).
     *
     * @param layout the network the file is a checkpoint of
     * @param file the parameter file
     * @throws CheckpointFormatException saying where the file does not match the network
     */
    public static Map<String, Tensor> read(NetworkLayout layout, byte[] file) {
        DjlParameterFile reader = new DjlParameterFile(file);
        try {
            reader.top(layout);
            if (reader.in.available() > 0) {
                throw new CheckpointFormatException(reader.in.available() + " bytes after the last parameter of "
                        + layout.spec().architecture() + ": the file is not a checkpoint of this network");
            }
        } catch (EOFException e) {
            throw new CheckpointFormatException("the file ends before the network does (" + file.length
                    + " bytes): it is truncated or of a smaller network");
        } catch (UTFDataFormatException e) {
            throw new CheckpointFormatException("malformed text in the file: " + e.getMessage());
        } catch (IOException e) {
            throw new CheckpointFormatException("cannot read the file: " + e.getMessage());
        }
        return reader.tensors;
    }

    /** The key of a parameter: the path of its layer ({@code 3/0/1}: segment 3, child 0, child 1) and its name. */
    public static String key(String path, String parameter) {
        return path + ":" + parameter;
    }

    /** The network's top block: a sequence whose children are the segments. */
    private void top(NetworkLayout layout) throws IOException {
        version("the network", SEQUENTIAL);
        long[][] shapes = inputShapes("the network");
        requireInput("the network", shapes, layout.inputShape());
        in.readBoolean(); // returnIntermediate
        long[] shape = layout.inputShape();
        for (int i = 0; i < layout.segments().size(); i++) {
            shape = layer(layout.segments().get(i), String.valueOf(i), shape);
        }
    }

    /** Reads one block of the layout and returns the shape of its output. */
    private long[] layer(Layer layer, String path, long[] input) throws IOException {
        String where = "layer " + path + " (" + layer + ")";
        if (layer instanceof Sequence seq) {
            version(where, SEQUENTIAL);
            requireInput(where, inputShapes(where), input);
            in.readBoolean();
            long[] shape = input;
            for (int i = 0; i < seq.layers().size(); i++) {
                shape = layer(seq.layers().get(i), path + "/" + i, shape);
            }
            return shape;
        }
        if (layer instanceof Residual res) {
            version(where, PARALLEL);
            requireInput(where, inputShapes(where), input);
            long[] r = layer(res.residual(), path + "/0", input);
            long[] s = layer(res.shortcut(), path + "/1", input);
            if (!Arrays.equals(r, s)) {
                throw new CheckpointFormatException(where + ": branches of shapes " + Arrays.toString(r) + " and "
                        + Arrays.toString(s));
            }
            return r;
        }
        if (layer instanceof Conv conv) {
            version(where, CONVOLUTION);
            inputShapes(where);
            parameter(where, path, "weight", new long[] {conv.filters(), input[0], conv.kernel(), conv.kernel()});
            return conv.output(input);
        }
        if (layer instanceof BatchNorm) {
            version(where, BATCH_NORM);
            inputShapes(where);
            long channels = in.readLong();
            if (channels != input[0]) {
                throw new CheckpointFormatException(where + ": " + channels + " channels, the network has " + input[0]);
            }
            long[] vector = {input[0]};
            for (String name : List.of("gamma", "beta", "runningMean", "runningVar")) {
                parameter(where, path, name, vector);
            }
            return input;
        }
        if (layer instanceof Linear linear) {
            version(where, LINEAR);
            long units = in.readLong();
            long features = in.readLong();
            shape(where); // the input shape it was initialised with
            long[] out = linear.output(input);
            if (units != linear.units() || features != input[0]) {
                throw new CheckpointFormatException(where + ": " + features + " -> " + units
                        + " units, the network has " + input[0] + " -> " + linear.units());
            }
            parameter(where, path, "weight", new long[] {units, features});
            parameter(where, path, "bias", new long[] {units});
            return out;
        }
        // every other layer is a parameter-free DJL LambdaBlock
        version(where, LAMBDA);
        inputShapes(where);
        return layer.output(input);
    }

    private void version(String where, int expected) throws IOException {
        int v = in.readUnsignedByte();
        if (v != expected) {
            throw new CheckpointFormatException(where + ": block version " + v + " where DJL writes " + expected
                    + " (another network, or a DJL version whose format this reader does not know)");
        }
    }

    /** DJL's saved input shapes of a block. */
    private long[][] inputShapes(String where) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_RANK) {
            throw new CheckpointFormatException(where + ": " + n + " input shapes");
        }
        long[][] shapes = new long[n][];
        for (int i = 0; i < n; i++) {
            shapes[i] = shape(where);
        }
        return shapes;
    }

    /** DJL's {@code Shape} encoding: rank, dimensions, then the layout's characters. */
    private long[] shape(String where) throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > MAX_RANK) {
            throw new CheckpointFormatException(where + ": a shape of rank " + rank);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readLong();
        }
        int layout = in.readInt();
        if (layout < 0 || layout > MAX_RANK) {
            throw new CheckpointFormatException(where + ": a shape layout of " + layout + " characters");
        }
        for (int i = 0; i < layout; i++) {
            in.readChar();
        }
        return dims;
    }

    /** The one saved input shape, less its batch dimension, must be the layout's. */
    private static void requireInput(String where, long[][] shapes, long[] expected) {
        boolean ok = shapes.length == 1 && shapes[0].length == expected.length + 1
                && Arrays.equals(Arrays.copyOfRange(shapes[0], 1, shapes[0].length), expected);
        if (!ok) {
            throw new CheckpointFormatException(where + ": initialised for input " + Arrays.deepToString(shapes)
                    + ", the network takes [N, " + Arrays.toString(expected).substring(1));
        }
    }

    private void parameter(String where, String path, String name, long[] expectedShape) throws IOException {
        char magic = in.readChar();
        if (magic == 'N') {
            throw new CheckpointFormatException(where + ": parameter " + name + " was never initialised");
        }
        if (magic != 'P') {
            throw new CheckpointFormatException(where + ": no parameter where " + name + " belongs");
        }
        int version = in.readUnsignedByte();
        if (version != PARAMETER) {
            throw new CheckpointFormatException(where + ": parameter version " + version + ", DJL writes " + PARAMETER);
        }
        String saved = in.readUTF();
        if (!saved.equals(name)) {
            throw new CheckpointFormatException(where + ": parameter '" + saved + "' where '" + name + "' belongs");
        }
        tensors.put(key(path, name), array(where + " " + name, expectedShape));
    }

    /** One array in DJL's {@code NDSerializer} encoding; float32 only (what checkpoints hold). */
    private Tensor array(String where, long[] expectedShape) throws IOException {
        if (!"NDAR".equals(in.readUTF())) {
            throw new CheckpointFormatException(where + ": not an array");
        }
        int version = in.readInt();
        if (version < ARRAY_MIN || version > ARRAY_MAX) {
            throw new CheckpointFormatException(where + ": array encoding version " + version + " (this reader knows "
                    + ARRAY_MIN + " to " + ARRAY_MAX + ")");
        }
        if (in.readByte() == 1) {
            in.readUTF(); // the array's name
        }
        String sparse = in.readUTF();
        if (!"DENSE".equals(sparse)) {
            throw new CheckpointFormatException(where + ": a " + sparse + " array");
        }
        String type = in.readUTF();
        if (!"FLOAT32".equals(type)) {
            throw new CheckpointFormatException(where + ": data type " + type + ", checkpoints hold FLOAT32");
        }
        long[] shape = shape(where);
        if (!Arrays.equals(shape, expectedShape)) {
            throw new CheckpointFormatException(where + ": shape " + Arrays.toString(shape) + ", the network has "
                    + Arrays.toString(expectedShape));
        }
        ByteOrder order = version > 2 && in.readByte() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int length = in.readInt();
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (length < 0 || length > size || length != count * Float.BYTES) {
            throw new CheckpointFormatException(where + ": " + length + " bytes of data for shape "
                    + Arrays.toString(shape));
        }
        byte[] raw = new byte[length];
        in.readFully(raw);
        float[] values = new float[(int) count];
        ByteBuffer.wrap(raw).order(order).asFloatBuffer().get(values);
        return new Tensor(shape, values);
    }
}
