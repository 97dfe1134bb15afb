package io.splicelab.model.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.store.RunArtifacts;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** One break of the good manifest: {@code from} replaced by {@code to}, and the field its problem names first. */
    static Stream<Arguments> brokenFields() {
        return Stream.of(
                arguments("\"step\": 60", "\"step\": -1", "step"),
                arguments("[3, 32, 32]", "[3, 32]", "input.shape"),
                arguments("\"mean\": [0.5, 0.5, 0.5]", "\"mean\": [0.5]", "input.mean"),
                arguments("\"std\": [0.25, 0.25, 0.25]", "\"std\": [0.25, 0, 0.25]", "input.std"),
                arguments("\"file\": \"stem.onnx\"", "\"file\": \"../stem.onnx\"", "segments[0].file"),
                arguments("\"file\": \"stem.onnx\"", "\"file\": \"a/stem.onnx\"", "segments[0].file"));
    }

    @ParameterizedTest
    @MethodSource("brokenFields")
    void aBrokenFieldIsNamed(String from, String to, String field) {
        String problem = problem(GOOD.replace(from, to));
        assertTrue(problem.startsWith(field), problem);
    }

    /** One break of the good manifest and what its problem must say. */
    static Stream<Arguments> brokenManifests() {
        String cuts = "\"cuts\": [\"stem\", \"stage1\", \"stage2\"]";
        return Stream.of(
                arguments("{", "not a valid manifest"),
                arguments(GOOD.replace(cuts, "\"cuts\": [\"stage9\"]"), "'stage9' names no segment"),
                arguments(GOOD.replace(cuts, "\"cuts\": [\"head\"]"), "after the last segment"),
                arguments(GOOD.replace("\"numClasses\": 10,", "\"numClasses\": 10, \"extra\": 1,"), "extra"));
    }

    @ParameterizedTest
    @MethodSource("brokenManifests")
    void eachProblemIsNamed(String json, String says) {
        String problem = problem(json);
        assertTrue(problem.contains(says), problem);
    }

    @Test
    void noSegmentsOrAMissingSegmentFileIsNamed() {
        assertTrue(problem(GOOD.replaceAll("\"segments\": \\[[^]]*]", "\"segments\": []")).startsWith("segments"));
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
