package io.splicelab.gateway.imports;

import static io.splicelab.gateway.imports.OnnxFixtures.bytes;
import static io.splicelab.gateway.imports.OnnxFixtures.field;
import static io.splicelab.gateway.imports.OnnxFixtures.varintField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.gateway.imports.OnnxSignature.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxSignatureTest {
    @TempDir
    Path dir;

    OnnxSignature read(byte[] model) throws IOException {
        return OnnxSignature.read(Files.write(dir.resolve("model.onnx"), model));
    }

    String refused(byte[] model) {
        return assertThrows(OnnxSignature.NotOnnxException.class, () -> read(model)).getMessage();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pyTorchExportsDeclareTheirInputOutputAndDynamicBatch() throws IOException {
        OnnxSignature stem = read(bytes("stem.onnx"));
        assertEquals(List.of(new Tensor("image", List.of("N", 3L, 32L, 32L))), stem.inputs());
        assertEquals(List.of(new Tensor("features", List.of("N", 4L, 16L, 16L))), stem.outputs());
        OnnxSignature head = read(bytes("head.onnx"));
        assertEquals(List.of(new Tensor("features", List.of("N", 4L, 16L, 16L))), head.inputs());
        assertEquals(List.of(new Tensor("logits", List.of("N", 10L))), head.outputs());
        assertEquals(List.of(new Tensor("image", List.of(2L, 3L, 32L, 32L))),
                read(bytes("stem-fixed-batch.onnx")).inputs());
        assertEquals(List.of("x", "y"),
                read(bytes("two-inputs.onnx")).inputs().stream().map(Tensor::name).toList());
    }

    @Test
    void initializersListedAsInputsAreNotInputs() throws IOException {
        byte[] model = bytes("stem-initializers-as-inputs.onnx");
        String raw = new String(model, StandardCharsets.ISO_8859_1);
        assertTrue(raw.contains("conv.weight"), "the weights are named in the file");
        assertEquals(read(bytes("stem.onnx")), read(model));
        // a sparse initializer (GraphProto field 15, its values' name) too
        byte[] sparse = field(7, field(15, field(1, field(8, text("w")))), field(11, field(1, text("w"))),
                field(11, field(1, text("x"))), field(12, field(1, text("y"))));
        assertEquals(List.of(new Tensor("x", null)), read(sparse).inputs());
    }

    @Test
    void aShapeMayBeMissingAndADimensionMayBeNeitherSizeNorName() throws IOException {
        byte[] dims = field(2, field(1, varintField(1, 3)), field(1), field(1, field(2, text("batch"))));
        byte[] type = field(2, field(1, varintField(1, 1), dims));
        byte[] model = field(7, field(11, field(1, text("x")), type), field(12, field(1, text("y"))));
        OnnxSignature s = read(model);
        assertEquals(List.of(new Tensor("x", List.of(3L, "?", "batch"))), s.inputs());
        assertEquals(List.of(new Tensor("y", null)), s.outputs());
    }

    @Test
    void whatIsNotAnOnnxModelIsRefusedSayingWhy() throws IOException {
        byte[] stem = bytes("stem.onnx");
        assertTrue(refused(Arrays.copyOf(stem, stem.length / 2)).contains("runs past the end"));
        assertTrue(refused(text("not really onnx: the gateway does not run it")).contains("wire type"));
        assertTrue(refused(new byte[] {1, 2, 3, 4}).contains("field number 0"));
        assertEquals("it has no graph (ModelProto.graph)", refused(new byte[0]));
        assertEquals("it has no graph (ModelProto.graph)", refused(varintField(1, 8))); // ir_version only
        byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0xFF);
        assertTrue(refused(eleven).contains("a varint longer than 10 bytes"));
    }

    @Test
    void namesAndCountsAreCapped() {
        byte[] longName = field(7, field(11, field(1, new byte[OnnxSignature.MAX_NAME_BYTES + 1])));
        assertTrue(refused(longName).contains("a name of 4097 bytes"));
        byte[][] inputs = new byte[OnnxSignature.MAX_VALUES + 1][];
        Arrays.fill(inputs, field(11, field(1, text("x"))));
        assertTrue(refused(field(7, inputs)).contains("more than 1024 inputs"));
    }
}
