package io.splicelab.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes ONNX models by hand: the protobuf encoding of the few fields of ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto and ValueInfoProto a plain float32 inference graph needs (ir_version 7, opset 13).
 * Field numbers are those of onnx/onnx.proto. Written here rather than taken from the ONNX Java bindings (protobuf
 * classes generated from onnx.proto, and a protobuf runtime in the gateway) because an exported segment needs so
 * little of the format: constant tensors, nodes with a few attributes, one input and one output.
 */
public final class OnnxWriter {
    public static final int IR_VERSION = 7;
    public static final int OPSET = 13;
    /** The model's producer_name. */
    public static final String PRODUCER = "splicelab";
    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final String graphName;
    private int counter;

    public OnnxWriter(String graphName) {
        this.graphName = graphName;
    }

    /** A fresh value name. */
    public String fresh(String hint) {
        return hint + "_" + (counter++);
    }

    /** Adds a float32 initializer (a constant tensor) and returns its name. */
    public String weight(String hint, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(hint, FLOAT, raw.array(), dims);
    }

    /** Adds an int64 initializer and returns its name. */
    public String int64s(String hint, long[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(hint, INT64, raw.array(), dims);
    }

    /** Adds an initializer (TensorProto: dims, data type, name, raw little-endian data) and returns its name. */
    private String initializer(String hint, int dataType, byte[] raw, long... dims) {
        String name = fresh(hint);
        Proto t = new Proto();
        t.varints(1, dims);
        t.varint(2, dataType);
        t.string(8, name);
        t.bytes(9, raw);
        initializers.add(t.toByteArray());
        return name;
    }

    /** An attribute of a node. */
    public record Attr(String name, int type, byte[] encoded) {
        public static Attr ints(String name, long... values) {
            return of(name, 7, a -> a.varints(8, values)); // INTS
        }

        public static Attr i(String name, long value) {
            return of(name, 2, a -> a.varint(3, value)); // INT
        }

        public static Attr f(String name, float value) {
            return of(name, 1, a -> a.fixed32(2, Float.floatToIntBits(value))); // FLOAT
        }

        /** AttributeProto: the name, the value (written by {@code value}) and the attribute type. */
        private static Attr of(String name, int type, Consumer<Proto> value) {
            Proto a = new Proto();
            a.string(1, name);
            value.accept(a);
            a.varint(20, type);
            return new Attr(name, type, a.toByteArray());
        }
    }

    /** Adds a node with one output, returning the output's name. */
    public String node(String opType, List<String> inputs, Attr... attributes) {
        String out = fresh(opType.toLowerCase());
        Proto n = new Proto();
        n.strings(1, inputs);
        n.string(2, out);
        n.string(3, out);
        n.string(4, opType);
        n.messages(5, Arrays.stream(attributes).map(Attr::encoded).toList());
        nodes.add(n.toByteArray());
        return out;
    }

    /**
     * The model: one float32 input of the given shape (-1: the symbolic batch dimension) and one float32 output of
     * unknown shape.
     */
    public byte[] model(String input, long[] inputShape, String output) {
        return model(input, inputShape, output, null);
    }

    /**
     * The model: one float32 input and one float32 output of the given shapes (-1: the symbolic batch dimension,
     * {@code N}; a null output shape: not declared).
     */
    public byte[] model(String input, long[] inputShape, String output, long[] outputShape) {
        Proto g = new Proto();
        g.messages(1, nodes);
        g.string(2, graphName);
        g.messages(5, initializers);
        g.bytes(11, valueInfo(input, inputShape));
        g.bytes(12, valueInfo(output, outputShape));
        Proto opset = new Proto();
        opset.string(1, "");
        opset.varint(2, OPSET);
        Proto m = new Proto();
        m.varint(1, IR_VERSION);
        m.string(2, PRODUCER);
        m.bytes(7, g.toByteArray());
        m.bytes(8, opset.toByteArray());
        return m.toByteArray();
    }

    private static byte[] valueInfo(String name, long[] shape) {
        Proto tensor = new Proto();
        tensor.varint(1, FLOAT);
        if (shape != null) {
            Proto s = new Proto();
            for (long d : shape) {
                Proto dim = new Proto();
                if (d < 0) {
                    dim.string(2, "N");
                } else {
                    dim.varint(1, d);
                }
                s.bytes(1, dim.toByteArray());
            }
            tensor.bytes(2, s.toByteArray());
        }
        Proto type = new Proto();
        type.bytes(1, tensor.toByteArray());
        Proto v = new Proto();
        v.string(1, name);
        v.bytes(2, type.toByteArray());
        return v.toByteArray();
    }

    /** Protobuf wire format: varint (0), 32-bit (5) and length-delimited (2) fields. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void varint(int field, long value) {
            raw(((long) field << 3) | 0);
            raw(value);
        }

        void fixed32(int field, int bits) {
            raw(((long) field << 3) | 5);
            out.write(bits & 0xFF);
            out.write((bits >>> 8) & 0xFF);
            out.write((bits >>> 16) & 0xFF);
            out.write((bits >>> 24) & 0xFF);
        }

        void bytes(int field, byte[] value) {
            raw(((long) field << 3) | 2);
            raw(value.length);
            out.writeBytes(value);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        /** A repeated varint field, unpacked: one field per value. */
        void varints(int field, long... values) {
            Arrays.stream(values).forEach(v -> varint(field, v));
        }

        /** A repeated string field. */
        void strings(int field, List<String> values) {
            values.forEach(v -> string(field, v));
        }

        /** A repeated message (or bytes) field, each already encoded. */
        void messages(int field, List<byte[]> values) {
            values.forEach(v -> bytes(field, v));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
