package io.splicelab.gateway.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an ONNX model's graph declares it takes and gives: its inputs ({@code ModelProto.graph.input}, less the
 * initializers, which older exporters list there too) and outputs, each with the shape of its
 * {@code type.tensor_type}. The gateway never runs a model (the splicer does, with ONNX Runtime), and
 * protobuf-java is not on its classpath, so this reads the protobuf wire format itself: a stream of fields, of which
 * it decodes just these few and skips the rest (the weights) by their lengths, so a segment of hundreds of megabytes
 * is never held in memory. Every length is checked against the message around it and names are capped, so a
 * hostile file is refused as {@link NotOnnxException} rather than trusted. Field numbers are those of
 * onnx/onnx.proto.
 *
 * @param inputs the graph's inputs that are not initializers
 * @param outputs the graph's outputs
 */
record OnnxSignature(List<Tensor> inputs, List<Tensor> outputs) {
    /** The most bytes of one name. */
    static final int MAX_NAME_BYTES = 4096;
    /** The most bytes of all names read (initializers included). */
    static final long MAX_NAMES_BYTES = 8L << 20;
    /** The most inputs and outputs of a graph, and dimensions of a shape. */
    static final int MAX_VALUES = 1024;

    // ModelProto.graph; GraphProto.initializer, input, output, sparse_initializer; TensorProto.name;
    // SparseTensorProto.values; ValueInfoProto.name, type; TypeProto.tensor_type; TypeProto.Tensor.shape;
    // TensorShapeProto.dim; Dimension.dim_value, dim_param
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    private static final int TENSOR_NAME = 8;
    private static final int SPARSE_VALUES = 1;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    /**
     * One input or output.
     *
     * @param name its name in the graph
     * @param shape its dimensions, each a size ({@code Long}) or a name ({@code String}, {@code "?"} when the
     *     graph gives neither); null when the graph declares no shape
     */
    record Tensor(String name, List<Object> shape) {
    }

    /** A file that is not an ONNX model this reader can make sense of; the message says where and why. */
    static final class NotOnnxException extends IOException {
        private static final long serialVersionUID = 1L;

        NotOnnxException(String message) {
            super(message);
        }
    }

    /**
     * Reads the signature of an ONNX file.
     *
     * @throws NotOnnxException when the file is not a protobuf ModelProto with a graph, or crosses a limit
     * @throws IOException when the file cannot be read
     */
    static OnnxSignature read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            return read(in, Files.size(file));
        }
    }

    /** Reads the signature of an ONNX model of {@code size} bytes from a stream. */
    static OnnxSignature read(InputStream in, long size) throws IOException {
        Wire wire = new Wire(in);
        Graph graph = null;
        while (wire.position() < size) {
            int tag = wire.tag(size);
            if (tag == Wire.tag(MODEL_GRAPH, Wire.LEN)) {
                graph = graph == null ? new Graph() : graph; // a repeated message field merges, as protobuf does
                graph.read(wire, wire.message(size));
            } else {
                wire.skip(tag, size);
            }
        }
        if (graph == null) {
            throw new NotOnnxException("it has no graph (ModelProto.graph)");
        }
        return graph.signature();
    }

    /** The fields of a GraphProto that make the signature. */
    private static final class Graph {
        private final List<Tensor> inputs = new ArrayList<>();
        private final List<Tensor> outputs = new ArrayList<>();
        private final Set<String> initializers = new HashSet<>();

        void read(Wire wire, long end) throws IOException {
            while (wire.position() < end) {
                int tag = wire.tag(end);
                if (tag == Wire.tag(GRAPH_INPUT, Wire.LEN)) {
                    add(inputs, valueInfo(wire, wire.message(end)), "inputs");
                } else if (tag == Wire.tag(GRAPH_OUTPUT, Wire.LEN)) {
                    add(outputs, valueInfo(wire, wire.message(end)), "outputs");
                } else if (tag == Wire.tag(GRAPH_INITIALIZER, Wire.LEN)) {
                    initializers.add(tensorName(wire, wire.message(end)));
                } else if (tag == Wire.tag(GRAPH_SPARSE_INITIALIZER, Wire.LEN)) {
                    initializers.add(sparseName(wire, wire.message(end)));
                } else {
                    wire.skip(tag, end);
                }
            }
        }

        OnnxSignature signature() {
            return new OnnxSignature(inputs.stream().filter(t -> !initializers.contains(t.name())).toList(),
                    List.copyOf(outputs));
        }

        private static void add(List<Tensor> to, Tensor t, String what) throws NotOnnxException {
            if (to.size() >= MAX_VALUES) {
                throw new NotOnnxException("its graph has more than " + MAX_VALUES + " " + what);
            }
            to.add(t);
        }

        /** ValueInfoProto: the name, and the shape of a tensor type (null: none declared). */
        private static Tensor valueInfo(Wire wire, long end) throws IOException {
            String name = "";
            List<Object> shape = null;
            while (wire.position() < end) {
                int tag = wire.tag(end);
                if (tag == Wire.tag(VALUE_NAME, Wire.LEN)) {
                    name = wire.string(end);
                } else if (tag == Wire.tag(VALUE_TYPE, Wire.LEN)) {
                    shape = typeShape(wire, wire.message(end));
                } else {
                    wire.skip(tag, end);
                }
            }
            return new Tensor(name, shape);
        }

        /** TypeProto: the shape of its tensor_type, null when it is not a tensor or has no shape. */
        private static List<Object> typeShape(Wire wire, long end) throws IOException {
            List<Object> shape = null;
            while (wire.position() < end) {
                int tag = wire.tag(end);
                if (tag == Wire.tag(TYPE_TENSOR, Wire.LEN)) {
                    long tensorEnd = wire.message(end);
                    while (wire.position() < tensorEnd) {
                        int t = wire.tag(tensorEnd);
                        if (t == Wire.tag(TENSOR_TYPE_SHAPE, Wire.LEN)) {
                            shape = dims(wire, wire.message(tensorEnd));
                        } else {
                            wire.skip(t, tensorEnd);
                        }
                    }
                } else {
                    wire.skip(tag, end);
                }
            }
            return shape;
        }

        /** TensorShapeProto: per Dimension its dim_value, its dim_param or "?". */
        private static List<Object> dims(Wire wire, long end) throws IOException {
            List<Object> dims = new ArrayList<>();
            while (wire.position() < end) {
                int tag = wire.tag(end);
                if (tag != Wire.tag(SHAPE_DIM, Wire.LEN)) {
                    wire.skip(tag, end);
                    continue;
                }
                if (dims.size() >= MAX_VALUES) {
                    throw new NotOnnxException("a shape of more than " + MAX_VALUES + " dimensions");
                }
                long dimEnd = wire.message(end);
                Object dim = "?";
                while (wire.position() < dimEnd) {
                    int t = wire.tag(dimEnd);
                    if (t == Wire.tag(DIM_VALUE, Wire.VARINT)) {
                        dim = wire.varint(dimEnd);
                    } else if (t == Wire.tag(DIM_PARAM, Wire.LEN)) {
                        dim = wire.string(dimEnd);
                    } else {
                        wire.skip(t, dimEnd);
                    }
                }
                dims.add(dim);
            }
            return dims;
        }

        /** TensorProto: its name; its data is skipped. */
        private static String tensorName(Wire wire, long end) throws IOException {
            String name = "";
            while (wire.position() < end) {
                int tag = wire.tag(end);
                if (tag == Wire.tag(TENSOR_NAME, Wire.LEN)) {
                    name = wire.string(end);
                } else {
                    wire.skip(tag, end);
                }
            }
            return name;
        }

        /** SparseTensorProto: the name of its values tensor. */
        private static String sparseName(Wire wire, long end) throws IOException {
            String name = "";
            while (wire.position() < end) {
                int tag = wire.tag(end);
                if (tag == Wire.tag(SPARSE_VALUES, Wire.LEN)) {
                    name = tensorName(wire, wire.message(end));
                } else {
                    wire.skip(tag, end);
                }
            }
            return name;
        }
    }

    /**
     * The protobuf wire format, read field by field from a stream: tags, varints, length-delimited fields (entered
     * as a nested message, read as a string, or skipped) and fixed-width fields (skipped). Every read is bounded by
     * the end of the message it is in.
     */
    static final class Wire {
        static final int VARINT = 0;
        static final int I64 = 1;
        static final int LEN = 2;
        static final int I32 = 5;

        private final InputStream in;
        private long position;
        private long namesBytes;

        Wire(InputStream in) {
            this.in = in;
        }

        static int tag(int field, int wireType) {
            return field << 3 | wireType;
        }

        long position() {
            return position;
        }

        /** The next field's tag: its number (at least 1) and wire type. */
        int tag(long end) throws IOException {
            long tag = varint(end);
            if (tag >>> 3 < 1 || tag >>> 3 > 0x1FFFFFFF) {
                throw malformed("field number " + (tag >>> 3));
            }
            return (int) tag;
        }

        /** A varint (at most 10 bytes). */
        long varint(long end) throws IOException {
            long value = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (position >= end) {
                    throw malformed("a varint runs past the end of its message");
                }
                int b = in.read();
                if (b < 0) {
                    throw malformed("the file ends inside a varint");
                }
                position++;
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw malformed("a varint longer than 10 bytes");
        }

        /** Enters a length-delimited field as a nested message: returns where it ends. */
        long message(long end) throws IOException {
            long length = varint(end);
            if (length < 0 || length > end - position) {
                throw malformed("a field of " + length + " bytes runs past the end of its message");
            }
            return position + length;
        }

        /** A length-delimited field as UTF-8 text, of at most {@link #MAX_NAME_BYTES} bytes. */
        String string(long end) throws IOException {
            long stop = message(end);
            int length = (int) Math.min(stop - position, Integer.MAX_VALUE);
            if (length > MAX_NAME_BYTES) {
                throw new NotOnnxException("a name of " + length + " bytes (at most " + MAX_NAME_BYTES + ")");
            }
            namesBytes += length;
            if (namesBytes > MAX_NAMES_BYTES) {
                throw new NotOnnxException("more than " + MAX_NAMES_BYTES + " bytes of names");
            }
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw malformed("the file ends inside a field");
            }
            position += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** Skips the value of a field whose tag was read. */
        void skip(int tag, long end) throws IOException {
            switch (tag & 7) {
                case VARINT -> varint(end);
                case I64 -> skipBytes(8, end);
                case LEN -> skipBytes(message(end) - position, end);
                case I32 -> skipBytes(4, end);
                default -> throw malformed("wire type " + (tag & 7) + " of field " + (tag >>> 3));
            }
        }

        private void skipBytes(long n, long end) throws IOException {
            if (n > end - position) {
                throw malformed("a field runs past the end of its message");
            }
            try {
                in.skipNBytes(n);
            } catch (java.io.EOFException e) {
                throw malformed("the file ends inside a field");
            }
            position += n;
        }

        private NotOnnxException malformed(String what) {
            return new NotOnnxException("not protobuf at byte " + position + ": " + what);
        }
    }
}
