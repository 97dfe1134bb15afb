package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.authed;
import static io.splicelab.gateway.ItSupport.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.gateway.imports.OnnxFixtures;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Topics;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** POST /api/imports: a zip of ONNX segments and manifest.json becomes an imported checkpoint of a run. */
@QuarkusTest
class ImportIT {
    /** Segments PyTorch exported: [N, 3, 32, 32] -> [N, 4, 16, 16] -> [N, 10] (gateway/src/test/resources/onnx). */
    static final byte[] STEM = OnnxFixtures.bytes("stem.onnx");
    static final byte[] HEAD = OnnxFixtures.bytes("head.onnx");

    static String manifest(String run, int step, String cuts) {
        return """
                {"run": "%s", "step": %d, "numClasses": 10,
                 "input": {"shape": [3, 32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                 "segments": [{"name": "stem", "file": "stem.onnx"}, {"name": "head", "file": "head.onnx"}],
                 "cuts": %s}""".formatted(run, step, cuts);
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] goodZip(String dir, String run, int step) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(dir + "manifest.json", manifest(run, step, "[\"stem\"]").getBytes(StandardCharsets.UTF_8));
        entries.put(dir + "stem.onnx", STEM);
        entries.put(dir + "head.onnx", HEAD);
        return zip(entries);
    }

    static String newRun() {
        return "imported-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aGoodImportIsStoredAnnouncedAndGrowsItsRun() throws IOException {
        String run = newRun();
        authed().contentType("application/zip").body(goodZip("ckpt/", run, 60))
                .queryParam("dataset", "synthetic").queryParam("evalSize", 40)
                .post("/api/imports").then().statusCode(202)
                .header("Location", "/api/runs/" + run)
                .body("runId", equalTo(run)).body("step", equalTo(60)).body("index", equalTo(0))
                .body("warnings", equalTo(java.util.List.of()));
        ConsumerRecord<String, String> record = ItSupport.consumeUntil(Topics.CHECKPOINTS,
                r -> run.equals(r.key()) && r.value().contains(EventType.CHECKPOINT_IMPORTED.type()));
        Envelope envelope = EventCodec.decode(record.value());
        CheckpointImported imported = EventCodec.payload(envelope, CheckpointImported.class);
        assertEquals(run, envelope.subject());
        assertEquals(60, imported.step());
        assertEquals("synthetic", imported.dataset());
        assertEquals(40, imported.evalSize());
        assertEquals(2, imported.segments().size());
        assertEquals(java.util.List.of("stem"), imported.manifest().cuts());
        LocalArtifactStore store = new LocalArtifactStore(
                Path.of(ConfigProvider.getConfig().getValue("splicelab.artifacts.dir", String.class)));
        assertArrayEquals(STEM, store.get(imported.segments().get(0)));
        assertTrue(store.exists(RunArtifacts.importRecord(run, 60)));

        // the run is in the read model with its checkpoint, and a later import grows it
        given().get("/api/runs/" + run).then().statusCode(200).body("status", equalTo("COMPLETED"));
        await(() -> given().get("/api/runs/" + run + "/checkpoints").then().extract().jsonPath().getList("step")
                .contains(60), "the imported checkpoint in the read model");
        authed().multiPart("file", "ckpt.zip", goodZip("", run, 120), "application/zip")
                .multiPart("dataset", "synthetic").multiPart("evalSize", "40")
                .post("/api/imports").then().statusCode(202).body("index", equalTo(1));
        await(() -> given().get("/api/runs/" + run + "/checkpoints").then().extract().jsonPath().getList("step")
                .equals(java.util.List.of(60, 120)), "both imported checkpoints");

        // the same import again is accepted (a retry after a 503); other files at the same step, or another
        // evaluation for the same run, conflict
        authed().contentType("application/zip").body(goodZip("", run, 60)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 40).post("/api/imports").then().statusCode(202).body("index", equalTo(0));
        Map<String, byte[]> other = new LinkedHashMap<>();
        other.put("manifest.json", manifest(run, 60, "[\"stem\"]").getBytes(StandardCharsets.UTF_8));
        other.put("stem.onnx", STEM);
        other.put("head.onnx", OnnxFixtures.withDocString(HEAD, "trained further"));
        authed().contentType("application/zip").body(zip(other)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 40).post("/api/imports").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("step 60"));
        authed().contentType("application/zip").body(goodZip("", run, 180)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 80).post("/api/imports").then().statusCode(409)
                .body("detail", containsString("evalSize 40"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", hasKey("/api/imports"))
                .body("components.schemas.ImportAccepted.properties", hasKey("warnings"));
    }

    @Test
    void anExportersManifestWithFieldsTheFormatDoesNotKnowIsAcceptedWithWarnings() throws IOException {
        // as a PyTorch training script writes it: format, architecture, source, exporter, input.scale, per segment
        // sha256, input and output shapes (the batch as "N", -1 or null) and source
        String run = newRun();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", OnnxFixtures.bytes("manifest.json"));
        entries.put("stem.onnx", STEM);
        entries.put("head.onnx", HEAD);
        authed().contentType("application/zip").body(zip(entries)).queryParam("run", run)
                .queryParam("dataset", "synthetic").queryParam("evalSize", 40)
                .post("/api/imports").then().statusCode(202)
                .body("runId", equalTo(run)).body("step", equalTo(60))
                .body("warnings.field", equalTo(java.util.List.of("exporter", "input.scale", "input.layout",
                        "segments[0].source", "segments[0].parameters", "segments[1].source")))
                .body("warnings[1].message", containsString("unknown field, ignored"));
        ConsumerRecord<String, String> record = ItSupport.consumeUntil(Topics.CHECKPOINTS,
                r -> run.equals(r.key()) && r.value().contains(EventType.CHECKPOINT_IMPORTED.type()));
        CheckpointImported imported = EventCodec.payload(EventCodec.decode(record.value()), CheckpointImported.class);
        assertEquals("tiny-convnet", imported.manifest().architecture());
        assertEquals(java.util.List.of("N", 10), imported.manifest().segments().get(1).output());
    }

    @Test
    void aSegmentOtherThanItsDeclaredSha256IsA400NamingTheSegmentAndFileAndNothingIsStored() throws IOException {
        String run = newRun();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", OnnxFixtures.bytes("manifest.json"));
        entries.put("stem.onnx", STEM);
        entries.put("head.onnx", OnnxFixtures.withDocString(HEAD, "not the file the exporter hashed"));
        authed().contentType("application/zip").body(zip(entries)).queryParam("run", run)
                .queryParam("dataset", "synthetic").post("/api/imports").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://splicelab.io/problems/invalid-import"))
                .body("detail", containsString("segments[1].sha256: declared "))
                .body("detail", containsString(" but head.onnx has SHA-256 "));

        // a declared shape the graph contradicts, and a file that is no ONNX model, likewise
        entries.put("head.onnx", HEAD);
        entries.put("manifest.json", OnnxFixtures.text("manifest.json").replace("[-1, 4, 16, 16]", "[-1, 4, 8, 8]")
                .replace("[null, 4, 16, 16]", "[null, 4, 8, 8]").getBytes(StandardCharsets.UTF_8));
        authed().contentType("application/zip").body(zip(entries)).queryParam("run", run)
                .queryParam("dataset", "synthetic").post("/api/imports").then().statusCode(400)
                .body("detail", containsString(
                        "segments[0].output: declared [-1, 4, 8, 8] but stem.onnx outputs [N, 4, 16, 16]"));
        Map<String, byte[]> notOnnx = new LinkedHashMap<>();
        notOnnx.put("manifest.json", manifest(run, 10, "[\"stem\"]").getBytes(StandardCharsets.UTF_8));
        notOnnx.put("stem.onnx", STEM);
        notOnnx.put("head.onnx", "not really onnx".getBytes(StandardCharsets.UTF_8));
        authed().contentType("application/zip").body(zip(notOnnx)).queryParam("dataset", "synthetic")
                .post("/api/imports").then().statusCode(400)
                .body("detail", containsString("segments[1].file: head.onnx is not an ONNX model"));

        LocalArtifactStore store = new LocalArtifactStore(
                Path.of(ConfigProvider.getConfig().getValue("splicelab.artifacts.dir", String.class)));
        assertEquals(java.util.List.of(), store.list(RunArtifacts.runPrefix(run)), "nothing stored");
        given().get("/api/runs/" + run).then().statusCode(404);
    }

    @Test
    void anImportOnNamedTestImagesCarriesThemInItsEventAndItsRunSaysWhich() throws IOException {
        // the first evalSize test images
        String run = newRun();
        authed().contentType("application/zip").body(goodZip("", run, 10)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 40).queryParam("evalSubset", "first").post("/api/imports").then()
                .statusCode(202).body("evalSubset", equalTo("first size=40"));
        CheckpointImported first = imported(run);
        assertEquals("first", first.evalSubset());
        assertEquals(null, first.evalIndices());
        given().get("/api/runs/" + run).then().statusCode(200).body("config.evalSubset", equalTo("first"))
                .body("evalSubset", equalTo("first size=40"));

        // listed test images, a comma list in the query; evalSize is their number
        String listedRun = newRun();
        java.util.List<Integer> listed = java.util.List.of(3, 17, 42, 0, 1, 2, 4, 5, 6, 1999);
        String described = "indices size=10 sha256=" + io.splicelab.model.values.EvalSubset.fingerprint(listed);
        authed().contentType("application/zip").body(goodZip("", listedRun, 10)).queryParam("dataset", "synthetic")
                .queryParam("evalIndices", "3,17,42,0,1,2,4,5,6,1999").post("/api/imports").then().statusCode(202)
                .body("evalSize", equalTo(10)).body("evalSubset", equalTo(described));
        CheckpointImported byIndex = imported(listedRun);
        assertEquals("indices", byIndex.evalSubset());
        assertEquals(listed, byIndex.evalIndices());
        assertEquals(10, byIndex.evalSize());
        given().get("/api/runs/" + listedRun).then().statusCode(200).body("evalSubset", equalTo(described))
                .body("config.evalIndices[9]", equalTo(1999));
        // the same list again (white space works too) grows the run; another list for the same run conflicts
        authed().contentType("application/zip").body(goodZip("", listedRun, 20)).queryParam("dataset", "synthetic")
                .queryParam("evalSubset", "indices").queryParam("evalIndices", "3 17 42 0 1 2 4 5 6 1999")
                .post("/api/imports").then().statusCode(202).body("index", equalTo(1));
        authed().contentType("application/zip").body(goodZip("", listedRun, 30)).queryParam("dataset", "synthetic")
                .queryParam("evalIndices", "1999,17,42,0,1,2,4,5,6,3").post("/api/imports").then().statusCode(409)
                .body("detail", containsString(described));

        // a long list as a form field (over the 2 KB a form field may have by default)
        String formRun = newRun();
        String many = java.util.stream.IntStream.range(0, 1500).map(i -> 1999 - i).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(","));
        assertTrue(many.length() > 4096, "longer than a request line may be");
        authed().multiPart("file", "ckpt.zip", goodZip("", formRun, 10), "application/zip")
                .multiPart("dataset", "synthetic").multiPart("evalIndices", many)
                .post("/api/imports").then().statusCode(202).body("evalSize", equalTo(1500));
        assertEquals(1999, imported(formRun).evalIndices().get(0));
    }

    @Test
    void aBadEvaluationSubsetIsA400NamingTheFieldAndNothingIsStored() throws IOException {
        String run = newRun();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("evalSubset=last", "evalSubset");
        bad.put("evalIndices=1,2,x", "evalIndices");
        bad.put("evalIndices=0,1,2,3,4,5,6,7,8,2000", "evalIndices");
        bad.put("evalIndices=0,1,2,3,4,5,6,7,8,8", "evalIndices");
        bad.put("evalIndices=0,1,2", "evalIndices");
        bad.put("evalSubset=indices", "evalIndices");
        bad.put("evalSubset=first&evalIndices=0,1,2,3,4,5,6,7,8,9", "evalIndices");
        bad.put("evalIndices=0,1,2,3,4,5,6,7,8,9&evalSize=11", "evalSize");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            var request = authed().contentType("application/zip").body(goodZip("", run, 10))
                    .queryParam("dataset", "synthetic");
            for (String param : e.getKey().split("&")) {
                String[] kv = param.split("=", 2);
                request = request.queryParam(kv[0], kv[1]);
            }
            request.post("/api/imports").then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://splicelab.io/problems/invalid-import"))
                    .body("errors[0].field", equalTo(e.getValue()));
        }
        authed().contentType("application/zip").body(goodZip("", run, 10)).queryParam("dataset", "synthetic")
                .queryParam("evalIndices", "1,2,x").post("/api/imports").then().statusCode(400)
                .body("detail", containsString("'x' is not an index"));
        LocalArtifactStore store = new LocalArtifactStore(
                Path.of(ConfigProvider.getConfig().getValue("splicelab.artifacts.dir", String.class)));
        assertEquals(java.util.List.of(), store.list(RunArtifacts.runPrefix(run)), "nothing stored");
        given().get("/api/runs/" + run).then().statusCode(404);
    }

    /** The first checkpoint.imported event of a run. */
    static CheckpointImported imported(String run) {
        ConsumerRecord<String, String> record = ItSupport.consumeUntil(Topics.CHECKPOINTS,
                r -> run.equals(r.key()) && r.value().contains(EventType.CHECKPOINT_IMPORTED.type()));
        return EventCodec.payload(EventCodec.decode(record.value()), CheckpointImported.class);
    }

    @Test
    void aBadImportIsA400NamingTheProblemAndNothingIsStored() throws IOException {
        String run = newRun();
        Map<String, byte[]> badCut = new LinkedHashMap<>();
        badCut.put("manifest.json", manifest(run, 10, "[\"stage9\"]").getBytes(StandardCharsets.UTF_8));
        badCut.put("stem.onnx", STEM);
        badCut.put("head.onnx", HEAD);
        authed().contentType("application/zip").body(zip(badCut)).queryParam("dataset", "synthetic")
                .post("/api/imports").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://splicelab.io/problems/invalid-import"))
                .body("detail", containsString("cuts: 'stage9' names no segment"));

        Map<String, byte[]> missing = new LinkedHashMap<>(badCut);
        missing.put("manifest.json", manifest(run, 10, "[\"stem\"]").getBytes(StandardCharsets.UTF_8));
        missing.remove("head.onnx");
        authed().contentType("application/zip").body(zip(missing)).queryParam("dataset", "synthetic")
                .post("/api/imports").then().statusCode(400).body("detail", containsString("head.onnx"));

        Map<String, byte[]> slip = new LinkedHashMap<>(badCut);
        slip.put("manifest.json", manifest(run, 10, "[\"stem\"]").getBytes(StandardCharsets.UTF_8));
        slip.put("../../evil.onnx", HEAD);
        authed().contentType("application/zip").body(zip(slip)).queryParam("dataset", "synthetic")
                .post("/api/imports").then().statusCode(400).body("detail", containsString("unsafe entry name"));

        authed().contentType("application/zip").body(goodZip("", run, 10)).queryParam("dataset", "mnist")
                .post("/api/imports").then().statusCode(400)
                .body("detail", containsString("dataset mnist has images of shape [1, 28, 28]"));
        authed().contentType("application/zip").body(goodZip("", run, 10))
                .post("/api/imports").then().statusCode(400).body("errors[0].field", equalTo("dataset"));
        authed().contentType("application/zip").body("not a zip".getBytes(StandardCharsets.UTF_8))
                .queryParam("dataset", "synthetic").post("/api/imports").then().statusCode(400);

        LocalArtifactStore store = new LocalArtifactStore(
                Path.of(ConfigProvider.getConfig().getValue("splicelab.artifacts.dir", String.class)));
        assertEquals(java.util.List.of(), store.list(RunArtifacts.runPrefix(run)), "nothing stored");
        given().get("/api/runs/" + run).then().statusCode(404);
    }

    @Test
    void aZipBombIsA413ProblemAndNothingIsStoredOrLeftBehind() throws IOException {
        // a few hundred KB expanding to 600 MB (the gateway's heap in the field is 384 MB)
        String run = newRun();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(manifest(run, 10, "[\"stem\"]").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("stem.onnx"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 600; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        byte[] bomb = out.toByteArray();
        assertTrue(bomb.length < 1 << 20, "a small archive: " + bomb.length);
        long t0 = System.nanoTime();
        authed().contentType("application/zip").body(bomb).queryParam("dataset", "cifar10")
                .post("/api/imports").then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://splicelab.io/problems/import-too-large"))
                .body("detail", containsString("expands more than"));
        System.out.printf("zip bomb of %d bytes answered 413 in %d ms%n", bomb.length,
                (System.nanoTime() - t0) / 1_000_000);
        LocalArtifactStore store = new LocalArtifactStore(
                Path.of(ConfigProvider.getConfig().getValue("splicelab.artifacts.dir", String.class)));
        assertEquals(java.util.List.of(), store.list(RunArtifacts.runPrefix(run)), "nothing stored");
        Path tmp = Path.of(ConfigProvider.getConfig().getValue("splicelab.imports.tmp-dir", String.class));
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(tmp)) {
            assertEquals(java.util.List.of(), left.toList(), "temporary files deleted");
        }
        given().get("/api/runs/" + run).then().statusCode(404);
    }

    @Test
    void anImportNeedsTheToken() throws IOException {
        given().contentType("application/zip").body(goodZip("", newRun(), 10)).queryParam("dataset", "synthetic")
                .post("/api/imports").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anImportsEvaluationPlanIsARunsCheckedAgainstTheManifestAndSharedByTheRun() throws IOException {
        // the default: test, train and three corruptions, mode carry, every cut of the manifest
        String run = newRun();
        authed().contentType("application/zip").body(goodZip("", run, 10)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 40).post("/api/imports").then().statusCode(202)
                .body("evalSets", equalTo(java.util.List.of("test", "train", "gaussian_noise-3", "fog-3", "contrast-3")))
                .body("bnModes", equalTo(java.util.List.of("carry"))).body("cuts", equalTo(java.util.List.of("stem")));
        CheckpointImported first = imported(run);
        assertEquals(java.util.List.of("test", "train", "gaussian_noise-3", "fog-3", "contrast-3"), first.evalSets());
        assertEquals(java.util.List.of("stem"), first.cuts());
        given().get("/api/runs/" + run).then().statusCode(200).body("config.evalSets[0]", equalTo("test"))
                .body("config.cuts", equalTo(java.util.List.of("stem")));

        // a plan of its own, as query parameters or form fields; a later import without one keeps the run's
        String planned = newRun();
        authed().multiPart("file", "ckpt.zip", goodZip("", planned, 10), "application/zip")
                .multiPart("dataset", "synthetic").multiPart("evalSize", "40").multiPart("evalSets", "test, fog-2")
                .multiPart("bnModes", "carry").multiPart("cuts", "stem")
                .post("/api/imports").then().statusCode(202)
                .body("evalSets", equalTo(java.util.List.of("test", "fog-2")));
        assertEquals(java.util.List.of("test", "fog-2"), imported(planned).evalSets());
        authed().contentType("application/zip").body(goodZip("", planned, 20)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 40).post("/api/imports").then().statusCode(202)
                .body("evalSets", equalTo(java.util.List.of("test", "fog-2")));
        authed().contentType("application/zip").body(goodZip("", planned, 30)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 40).queryParam("evalSets", "test").post("/api/imports").then()
                .statusCode(409).body("detail", containsString("evalSets [test, fog-2]"));

        // each list is checked like a run's, against what an import is, naming the field
        java.util.Map<String, String> bad = new LinkedHashMap<>();
        bad.put("evalSets=test,validation", "unknown evaluation set 'validation'");
        bad.put("evalSets=test,test", "lists 'test' twice");
        bad.put("evalSets=train-noisy", "train-noisy needs labelNoise > 0");
        bad.put("evalSets=frost-3", "only in the CIFAR-10-C files");
        bad.put("evalSets=test,,fog-1", "must not list an empty name");
        bad.put("bnModes=recalibrate", "only [carry]");
        bad.put("bnModes=sometimes", "sometimes");
        bad.put("cuts=stem,stage1", "'stage1' is not a cut of the manifest");
        for (java.util.Map.Entry<String, String> e : bad.entrySet()) {
            String[] param = e.getKey().split("=", 2);
            authed().contentType("application/zip").body(goodZip("", newRun(), 10)).queryParam("dataset", "synthetic")
                    .queryParam("evalSize", 40).queryParam(param[0], param[1]).post("/api/imports").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(param[0]))
                    .body("errors[0].message", containsString(e.getValue()));
        }
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.ImportAccepted.properties", hasKey("evalSets"))
                .body("paths.'/api/imports'.post.parameters.name", org.hamcrest.Matchers.hasItems("evalSets",
                        "bnModes", "cuts"));
    }
}
