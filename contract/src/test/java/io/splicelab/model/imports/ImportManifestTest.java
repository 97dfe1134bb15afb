package io.splicelab.model.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.store.RunArtifacts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
                arguments(GOOD.replace("\"step\": 60,", "\"step\": 60, \"step\": 61,"), "Duplicate field 'step'"),
                arguments("[1, 2]", "a JSON object is required"),
                arguments(GOOD + " {}", "not a valid manifest"),
                arguments("", "is empty"));
    }

    @ParameterizedTest
    @MethodSource("brokenManifests")
    void eachProblemIsNamed(String json, String says) {
        String problem = problem(json);
        assertTrue(problem.contains(says), problem);
    }

    /** A real exporter's manifest: descriptive fields, and what it declares of each segment file. */
    static final String EXPORTED = """
            {"format": "splicelab-onnx-segments/1", "architecture": "resnet20", "source": "train.py",
             "exporter": {"name": "torch.onnx", "opset": 13},
             "run": "imported", "step": 60, "numClasses": 10,
             "input": {"shape": [3, 32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25], "scale": 255},
             "segments": [
               {"name": "stem", "file": "stem.onnx", "input": ["N", 3, 32, 32], "output": [-1, 16, 32, 32],
                "sha256": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"},
               {"name": "stage1", "file": "stage1.onnx", "input": [null, 16, 32, 32], "output": [null, 32, 16, 16],
                "source": "model.layer1"},
               {"name": "head", "file": "head.onnx", "input": ["batch", 32, 16, 16], "output": ["N", 10],
                "sha256": "%s", "params": {"count": 330}}],
             "cuts": ["stem", "stage1"]}""";
    static final String SHA = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @Test
    void unknownFieldsAtAnyLevelAreIgnoredAndListedByTheirPath() {
        ImportManifest.Parsed parsed = ImportManifest.read(EXPORTED.formatted(SHA).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("exporter", "input.scale", "segments[1].source", "segments[2].params"),
                parsed.warnings().stream().map(ImportManifest.Warning::field).toList());
        assertTrue(parsed.warnings().get(1).message().contains("known here: shape, mean, std"),
                parsed.warnings().get(1).message());
        ImportManifest m = parsed.manifest();
        assertEquals("resnet20", m.architecture());
        assertEquals("train.py", m.source());
        assertEquals(SHA, m.segments().get(2).sha256());
        // the dynamic batch, however it is written, is kept as written and fits any size
        assertEquals(Arrays.asList(null, 16, 32, 32), m.segments().get(1).input());
        assertEquals(List.of("N", 3, 32, 32), m.segments().get(0).input());
        m.checkGraph(0, List.of("batch_size", 3L, 32L, 32L), List.of(-1L, 16L, 32L, 32L));
        m.checkGraph(2, List.of(7L, 32L, 16L, 16L), List.of("N", 10L));
        // what it does not know is not carried along: it travels in the event and comes back equal
        String json = EventCodec.toJson(m);
        assertTrue(!json.contains("scale") && !json.contains("exporter"), json);
        assertEquals(m, ImportManifest.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), ImportManifest.read(GOOD.getBytes(StandardCharsets.UTF_8)).warnings());
        // source is descriptive: text, or whatever JSON an exporter writes there, kept as given
        ImportManifest described = parse(EXPORTED.formatted(SHA).replace("\"source\": \"train.py\"",
                "\"source\": {\"framework\": \"pytorch\", \"version\": \"1.13\"}"));
        assertEquals(java.util.Map.of("framework", "pytorch", "version", "1.13"), described.source());
        assertEquals(described, parse(EventCodec.toJson(described)));
    }

    /** One break of the exported manifest, and the start of its problem (the field, then what is wrong). */
    static Stream<Arguments> brokenDeclarations() {
        return Stream.of(
                arguments("\"sha256\": \"%s\"".formatted(SHA), "\"sha256\": \"abc\"",
                        "segments[2].sha256: must be the 64 hex digits of the SHA-256 of head.onnx, got 'abc'"),
                arguments("\"sha256\": \"%s\"".formatted(SHA), "\"sha256\": \"%s\"".formatted(SHA.replace('e', 'g')),
                        "segments[2].sha256"),
                arguments("\"sha256\": \"%s\"".formatted(SHA), "\"sha256\": 12", "segments[2].sha256"),
                arguments("[null, 32, 16, 16]", "[null, 32, 8, 8]",
                        "segments[2].input: declared [batch, 32, 16, 16] but segments[1].output, which it consumes, "
                                + "is declared [null, 32, 8, 8]"),
                arguments("[null, 32, 16, 16]", "[null, 32, 16]", "segments[2].input: declared"),
                arguments("[\"N\", 3, 32, 32]", "[\"N\", 1, 28, 28]",
                        "segments[0].input: declared [N, 1, 28, 28] but input.shape [3, 32, 32] makes the images "
                                + "[N, 3, 32, 32]"),
                arguments("[\"N\", 10]", "[\"N\", 100]",
                        "segments[2].output: declared [N, 100] but the logits of 10 classes are [N, 10]"),
                arguments("[-1, 16, 32, 32]", "[-1, \"C\", 32, 32]", "segments[0].output: must list positive whole"),
                arguments("[-1, 16, 32, 32]", "[-2, 16, 32, 32]", "segments[0].output: must list positive whole"),
                arguments("[-1, 16, 32, 32]", "[-1, 16.5, 32, 32]", "segments[0].output: must list positive whole"),
                arguments("[-1, 16, 32, 32]", "[]", "segments[0].output: must list 1 to 8 dimensions"),
                arguments("[-1, 16, 32, 32]", "{\"shape\": [-1, 16, 32, 32]}", "segments[0].output: Cannot"),
                arguments("\"architecture\": \"resnet20\"", "\"architecture\": {\"name\": \"resnet20\"}",
                        "architecture: Cannot"),
                arguments("\"format\": \"splicelab-onnx-segments/1\"", "\"format\": [1]", "format: Cannot"));
    }

    @ParameterizedTest
    @MethodSource("brokenDeclarations")
    void aBrokenDeclarationIsNamedByItsField(String from, String to, String says) {
        String json = EXPORTED.formatted(SHA);
        assertTrue(json.contains(from), from);
        String problem = problem(json.replace(from, to));
        assertTrue(problem.startsWith(says), problem);
    }

    @Test
    void aGraphIsCheckedAgainstWhatTheManifestDeclaresOrImplies() {
        ImportManifest m = parse(EXPORTED.formatted(SHA));
        InvalidManifestException output = assertThrows(InvalidManifestException.class,
                () -> m.checkGraph(1, List.of("N", 16L, 32L, 32L), List.of("N", 32L, 8L, 8L)));
        assertEquals("segments[1].output: declared [null, 32, 16, 16] but stage1.onnx outputs [N, 32, 8, 8]",
                output.getMessage());
        InvalidManifestException input = assertThrows(InvalidManifestException.class,
                () -> m.checkGraph(0, List.of("N", 3L, 32L), null));
        assertTrue(input.getMessage().startsWith("segments[0].input: declared [N, 3, 32, 32] but stem.onnx takes "
                + "[N, 3, 32]"), input.getMessage());
        // a graph that does not say its shapes, or leaves a dimension dynamic, fits
        m.checkGraph(1, null, List.of("?", 32L, "h", 16L));

        // nothing declared: the first segment takes the images, the last outputs the logits
        ImportManifest plain = parse(GOOD);
        plain.checkGraph(0, List.of("N", 3L, 32L, 32L), List.of("N", 16L, 32L, 32L));
        plain.checkGraph(1, List.of("N", 1L), List.of("N", 2L)); // a middle segment: anything
        InvalidManifestException images = assertThrows(InvalidManifestException.class,
                () -> plain.checkGraph(0, List.of("N", 1L, 28L, 28L), null));
        assertEquals("input.shape: [3, 32, 32] makes the images [N, 3, 32, 32] but stem.onnx takes [N, 1, 28, 28]",
                images.getMessage());
        InvalidManifestException logits = assertThrows(InvalidManifestException.class,
                () -> plain.checkGraph(3, null, List.of("N", 100L)));
        assertEquals("numClasses: the logits of 10 classes are [N, 10] but head.onnx outputs [N, 100]",
                logits.getMessage());
    }

    @Test
    void aTypeProblemNamesItsField() {
        assertTrue(problem(GOOD.replace("\"step\": 60", "\"step\": \"sixty\"")).startsWith("step: Cannot"));
        String problem = problem(GOOD.replace("{\"name\": \"stage1\", \"file\": \"stage1.onnx\"}",
                "{\"name\": [\"stage1\"], \"file\": \"stage1.onnx\"}"));
        assertTrue(problem.startsWith("segments[1].name: Cannot"), problem);
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
