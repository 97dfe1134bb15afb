package io.splicelab.model.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.store.RunArtifacts;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImportManifestTest {
    static final String GOOD = """
            {"run": "imported", "step": 60, "numClasses": 10,
             "input": {"shape": [3, 32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
             "segments": [{"name": "stem", "file": "stem.onnx"}, {"name": "stage1", "file": "stage1.onnx"},
                          {"name": "stage2", "file": "stage2.onnx"}, {"name": "head", "file": "head.onnx"}],
             "cuts": ["stem", "stage1", "stage2"]}""";

    static ImportManifest parse(String json) {
        return ImportManifest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static String problem(String json) {
        return assertThrows(InvalidManifestException.class, () -> parse(json)).getMessage();
    }

    @Test
    void aGoodManifestParsesAndACutLiesAfterItsSegment() {
        ImportManifest m = parse(GOOD);
        assertEquals(60, m.step());
        assertEquals(1, m.cutIndex("stem"));
        assertEquals(3, m.cutIndex("stage2"));
        assertEquals(3, m.channels());
        assertEquals(32, m.width());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, m.std());
        m.requireFiles(Set.of("stem.onnx", "stage1.onnx", "stage2.onnx", "head.onnx")::contains);
        assertThrows(IllegalArgumentException.class, () -> m.cutIndex("head"));
        // it travels inside an event and comes back equal
        String json = EventCodec.toJson(m);
        assertEquals(m, ImportManifest.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachProblemIsNamed() {
        assertTrue(problem("{").contains("not a valid manifest"));
        assertTrue(problem(GOOD.replace("\"step\": 60", "\"step\": -1")).startsWith("step"));
        assertTrue(problem(GOOD.replace("[3, 32, 32]", "[3, 32]")).startsWith("input.shape"));
        assertTrue(problem(GOOD.replace("\"mean\": [0.5, 0.5, 0.5]", "\"mean\": [0.5]")).startsWith("input.mean"));
        assertTrue(problem(GOOD.replace("\"std\": [0.25, 0.25, 0.25]", "\"std\": [0.25, 0, 0.25]"))
                .startsWith("input.std"));
        assertTrue(problem(GOOD.replace("\"cuts\": [\"stem\", \"stage1\", \"stage2\"]", "\"cuts\": [\"stage9\"]"))
                .contains("'stage9' names no segment"));
        assertTrue(problem(GOOD.replace("\"cuts\": [\"stem\", \"stage1\", \"stage2\"]", "\"cuts\": [\"head\"]"))
                .contains("after the last segment"));
        assertTrue(problem(GOOD.replace("\"file\": \"stem.onnx\"", "\"file\": \"../stem.onnx\""))
                .startsWith("segments[0].file"));
        assertTrue(problem(GOOD.replace("\"file\": \"stem.onnx\"", "\"file\": \"a/stem.onnx\""))
                .startsWith("segments[0].file"));
        assertTrue(problem(GOOD.replaceAll("\"segments\": \\[[^]]*]", "\"segments\": []"))
                .startsWith("segments"));
        assertTrue(problem(GOOD.replace("\"numClasses\": 10,", "\"numClasses\": 10, \"extra\": 1,"))
                .contains("extra"));
        ImportManifest m = parse(GOOD);
        InvalidManifestException missing = assertThrows(InvalidManifestException.class,
                () -> m.requireFiles(Set.of("stem.onnx", "stage1.onnx", "head.onnx")::contains));
        assertTrue(missing.getMessage().contains("stage2.onnx"), missing.getMessage());
    }

    @Test
    void importRecordsAreTellableFromImportedFiles() {
        assertTrue(RunArtifacts.isImportRecord(RunArtifacts.importRecord("r1", 60)));
        assertTrue(!RunArtifacts.isImportRecord(RunArtifacts.importedFile("r1", 60, "manifest.json")));
        assertEquals("runs/r1/imports/step-00000060/stem.onnx", RunArtifacts.importedFile("r1", 60, "stem.onnx"));
    }
}
