package io.splicelab.gateway.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The ONNX models PyTorch exported for the import tests ({@code src/test/resources/onnx}, written by
 * {@code make_fixtures.py} there), and the protobuf bytes a test needs to build a broken one.
 */
public final class OnnxFixtures {
    private OnnxFixtures() {
    }

    /** A fixture's bytes, e.g. {@code stem.onnx} or {@code manifest.json}. */
    public static byte[] bytes(String name) {
        try (InputStream in = OnnxFixtures.class.getResourceAsStream("/onnx/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture onnx/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture's text. */
    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /**
     * The same model with a {@code doc_string} (ModelProto field 6) appended: other bytes, the same graph, as a
     * checkpoint trained further would be.
     */
    public static byte[] withDocString(byte[] model, String doc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(model);
        out.writeBytes(field(6, doc.getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    /** A length-delimited protobuf field: tag, length, value. */
    public static byte[] field(int number, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            value.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) number << 3 | 2);
        varint(out, value.size());
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    /** A varint protobuf field. */
    public static byte[] varintField(int number, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) number << 3);
        varint(out, value);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
