package io.splicelab.gateway.imports;

import static io.splicelab.gateway.imports.OnnxFixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.imports.InvalidManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentCheckTest {
    /** What PyTorch's exporter declares of stem.onnx and head.onnx: sha256 and shapes (see make_fixtures.py). */
    static final String EXPORTED = OnnxFixtures.text("manifest.json");
    /** A manifest that declares nothing of its files. */
    static final String PLAIN = """
            {"step": 1, "numClasses": %d, "input": {"shape": %s, "mean": [0, 0, 0], "std": [1, 1, 1]},
             "segments": [{"name": "stem", "file": "stem.onnx"}, {"name": "head", "file": "head.onnx"}],
             "cuts": ["stem"]}""";

    @TempDir
    Path dir;

    Map<String, Path> files(byte[] stem, byte[] head) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("stem.onnx", Files.write(dir.resolve("stem.onnx"), stem));
        files.put("head.onnx", Files.write(dir.resolve("head.onnx"), head));
        return files;
    }

    Map<String, Path> files(String stem, String head) throws IOException {
        return files(bytes(stem), bytes(head));
    }

    static void verify(String manifest, Map<String, Path> files) {
        SegmentCheck.verify(ImportManifest.parse(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8)), files);
    }

    static String problem(String manifest, Map<String, Path> files) {
        return assertThrows(InvalidManifestException.class, () -> verify(manifest, files)).getMessage();
    }

    static String withoutSha256(String manifest) {
        String out = manifest.replaceAll("\"sha256\": \"[0-9a-f]{64}\", ", "");
        assertTrue(!out.contains("sha256"), out);
        return out;
    }

    @Test
    void aPyTorchExportFitsWhatItsManifestDeclares() throws IOException {
        // its shapes give the batch dimension as "N", -1 and null: all dynamic
        verify(EXPORTED, files("stem.onnx", "head.onnx"));
        verify(PLAIN.formatted(10, "[3, 32, 32]"), files("stem.onnx", "head.onnx"));
        // weights listed among the graph inputs are not inputs
        verify(withoutSha256(EXPORTED), files("stem-initializers-as-inputs.onnx", "head.onnx"));
    }

    @Test
    void aFileOtherThanItsSha256IsNamed() throws IOException {
        byte[] retrained = OnnxFixtures.withDocString(bytes("head.onnx"), "trained further");
        String problem = problem(EXPORTED, files(bytes("stem.onnx"), retrained));
        assertTrue(problem.matches("segments\\[1]\\.sha256: declared [0-9a-f]{64} but head\\.onnx has SHA-256 "
                + "[0-9a-f]{64}"), problem);
        // upper-case hex is the same digest
        String upper = Pattern.compile("[0-9a-f]{64}").matcher(EXPORTED).replaceAll(r -> r.group().toUpperCase());
        verify(upper, files("stem.onnx", "head.onnx"));
    }

    @Test
    void aDeclaredShapeTheGraphContradictsIsNamedWithTheFile() throws IOException {
        String smaller = EXPORTED.replace("[-1, 4, 16, 16]", "[-1, 4, 8, 8]").replace("[null, 4, 16, 16]",
                "[null, 4, 8, 8]");
        assertEquals("segments[0].output: declared [-1, 4, 8, 8] but stem.onnx outputs [N, 4, 16, 16]",
                problem(smaller, files("stem.onnx", "head.onnx")));
        assertEquals("input.shape: [3, 28, 28] makes the images [N, 3, 28, 28] but stem.onnx takes [N, 3, 32, 32]",
                problem(PLAIN.formatted(10, "[3, 28, 28]"), files("stem.onnx", "head.onnx")));
        assertEquals("numClasses: the logits of 100 classes are [N, 100] but head.onnx outputs [N, 10]",
                problem(PLAIN.formatted(100, "[3, 32, 32]"), files("stem.onnx", "head.onnx")));
    }

    @Test
    void aSegmentTheSplicerCouldNotRunIsNamed() throws IOException {
        String plain = PLAIN.formatted(10, "[3, 32, 32]");
        assertTrue(problem(plain, files("stem-fixed-batch.onnx", "head.onnx")).startsWith("segments[0].file: "
                + "stem.onnx takes a fixed batch of 2 [2, 3, 32, 32]"));
        assertEquals("segments[1].file: head.onnx must have one input (initializers aside) and one output, has "
                + "inputs [x, y] and outputs [sum]", problem(plain, files("stem.onnx", "two-inputs.onnx")));
        assertTrue(problem(plain, files(bytes("stem.onnx"), new byte[] {1, 2, 3, 4}))
                .startsWith("segments[1].file: head.onnx is not an ONNX model: not protobuf at byte 1"));
    }
}
