package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.features.Npy;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.sse.SseEventSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One run end to end on the real parts: a Kafka broker in KRaft mode, the four packaged services,
 * H2 files and one artifact directory. A tiny run is submitted to the gateway; the complete hybrid
 * grid must arrive over the API and over the event stream, and equal a direct, uncached evaluation of
 * the same checkpoints done here, image by image (the per-image predictions, as JSON and as CSV). Its checkpoints,
 * exported as ONNX and imported back, give the same grid; and a network trained and exported by PyTorch gets the grid
 * PyTorch computes for it.
 */
class EndToEndIT {
    /** The splicer's default cuts, those of the stack's grids. */
    static final List<String> CUTS = Architectures.STAGE_CUTS;
    /** The tiny run, with SGD noise sampled at two checkpoints (8 minibatches), so the noise analyses run too. */
    static final String CONFIG = ItStacks.tinyRun(40, 20, 5, 600, 120).strip().replaceFirst("}$",
            ",\"noiseSteps\":[20,40],\"noiseMinibatches\":8}");

    static LocalStack stack;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stack = ItStacks.start("e2e-stack");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
            for (long pid : stack.pids().values()) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "process " + pid + " left behind");
            }
        }
    }

    @Test
    void aTinyRunFlowsEndToEndAndItsGridEqualsADirectEvaluation() throws Exception {
        // mutating requests need the stack's API token
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CONFIG)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());

        // a bad configuration is refused, naming the field
        HttpResponse<String> bad = post("/api/runs", "{\"steps\": 0}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(bad.body().contains("\"steps\""), bad.body());

        // the run, with a live client from the start
        TinyRun tiny = tinyRun();
        String runId = tiny.runId();
        List<JsonNode> live = tiny.live();
        Thread liveReader = tiny.liveReader();

        RunConfig config = tiny.config();
        int k = config.checkpointSteps().size();
        int expectedCells = CUTS.size() * k * k;
        JsonNode grid = waitForGrid(runId, expectedCells, Duration.ofMinutes(8));
        assertEquals("COMPLETED", waitForStatus(runId, "COMPLETED", Duration.ofMinutes(2)));
        assertEquals(expectedCells, grid.get("cells").size());

        // the event stream carried every cell; a client that joins late gets the whole state first
        waitUntil(() -> cellKeys(live).size() == expectedCells, Duration.ofMinutes(1));
        assertEquals(expectedCells, cellKeys(live).size());
        assertTrue(live.stream().anyMatch(e -> EventType.RUN_COMPLETED.type().equals(e.get("type").asText())));
        List<JsonNode> late = new CopyOnWriteArrayList<>();
        Thread lateReader = follow(runId, late);
        waitUntil(() -> cellKeys(late).size() == expectedCells, Duration.ofMinutes(1));
        assertEquals(cellKeys(live), cellKeys(late));
        liveReader.interrupt();
        lateReader.interrupt();

        // every event the services emitted validates against the published contract (docs/events)
        assertConformsToContract(live);

        // the grid equals a plain evaluation of the same checkpoints, read from the artifact store
        LocalArtifactStore store = new LocalArtifactStore(stack.artifactsDir());
        ImageDataset eval = Datasets.evalSubset(config);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<Integer, CutNetwork> nets = new HashMap<>();
            Map<Integer, int[]> plain = new HashMap<>();
            for (int step : config.checkpointSteps()) {
                CheckpointCreated manifest = EventCodec.mapper().readValue(
                        store.read(RunArtifacts.checkpointManifest(runId, step)), CheckpointCreated.class);
                CutNetwork net = Checkpoints.load(manifest.network(), store.get(manifest.parameters()), m);
                nets.put(step, net);
                plain.put(step, Inference.argmax(Inference.logits(net, eval, 100, m)));
            }
            for (JsonNode cell : grid.get("cells")) {
                int a = cell.get("shallowStep").asInt();
                int b = cell.get("deepStep").asInt();
                String cut = cell.get("cut").asText();
                int[] hybrid = Inference.argmax(Inference.hybridLogits(nets.get(a), nets.get(b), cut, eval, 100, m));
                String where = cut + " " + a + "->" + b;
                assertEquals(fraction(hybrid, eval.labels()), cell.get("metrics").get("accuracy").asDouble(), 1e-12,
                        where);
                assertEquals(fraction(hybrid, plain.get(b)), cell.get("metrics").get("agreementDeep").asDouble(),
                        1e-12, where);
                assertEquals(fraction(hybrid, plain.get(a)), cell.get("metrics").get("agreementShallow").asDouble(),
                        1e-12, where);
                if (a == b) {
                    assertEquals(fraction(plain.get(a), eval.labels()), cell.get("metrics").get("accuracy").asDouble(),
                            1e-12, "the diagonal is the checkpoint's own accuracy");
                }
                // and every image's prediction, served from the file the splicer stored with the cell
                String predictions = "/api/runs/" + runId + "/hybrids/predictions?cut=" + cut + "&evalSet="
                        + cell.get("evalSet").asText() + "&bnMode=" + cell.get("bnMode").asText() + "&shallow=" + a
                        + "&deep=" + b;
                HttpResponse<String> json = get(predictions);
                assertEquals(200, json.statusCode(), json.body());
                JsonNode rows = EventCodec.mapper().readTree(json.body()).get("predictions");
                assertEquals(eval.size(), rows.size(), where);
                for (int i = 0; i < eval.size(); i++) {
                    JsonNode row = rows.get(i);
                    assertEquals(eval.splitIndices()[i], row.get("splitIndex").asInt(), where + " image " + i);
                    assertEquals(eval.labels()[i], row.get("label").asInt(), where + " image " + i);
                    assertEquals(hybrid[i], row.get("predicted").asInt(), where + " image " + i);
                    assertTrue(row.get("logitMargin").asDouble() >= 0, where + " image " + i);
                }
                HttpResponse<String> csv = get(predictions + "&format=csv");
                assertEquals(200, csv.statusCode(), csv.body());
                List<String> lines = csv.body().lines().toList();
                assertEquals("splitIndex,label,predicted,logitMargin", lines.get(0));
                assertEquals(eval.size() + 1, lines.size(), where);
                for (int i = 0; i < eval.size(); i++) {
                    assertTrue(lines.get(i + 1).startsWith(eval.splitIndices()[i] + "," + eval.labels()[i] + ","
                            + hybrid[i] + ","), where + " line " + (i + 1) + ": " + lines.get(i + 1));
                }
            }
        }

        // the stats service computed and stored a statistic per checkpoint and cut, visible at the gateway
        waitUntil(() -> stats(runId).size() >= k * CUTS.size(), Duration.ofMinutes(2));
        JsonNode results = stats(runId);
        assertEquals(k * CUTS.size(), results.size());
        for (JsonNode r : results) {
            assertEquals("class-overlap-tv", r.get("analysis").asText());
            double tv = r.get("values").get("meanTv").asDouble();
            assertTrue(tv >= 0 && tv <= 1, "TV distance in [0, 1]: " + tv);
        }

        // and every record on every topic of the broker, this run's noise analyses included, is a structured-mode
        // CloudEvent (content-type header) that validates against the published contract; none was dead-lettered
        waitUntil(() -> statsOf(runId, "noise-spectrum").size() == config.noiseSteps().size(), Duration.ofMinutes(2));
        assertEquals(config.noiseSteps().size(), statsOf(runId, "noise-spectrum").size(), "noise spectra");
        assertEveryRecordOnTheBrokerConformsToTheContract(runId);
    }

    /**
     * {@code splicelab runs} and {@code splicelab export} against the stack's gateway: the tiny run is in the table
     * with its cells, and its bundle holds its grid as the gateway serves it.
     */
    @Test
    void theCommandLineListsAndExportsTheTinyRun(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        TinyRun run = tinyRun();
        int k = run.config().checkpointSteps().size();
        int cells = CUTS.size() * k * k;
        waitForGrid(run.runId(), cells, Duration.ofMinutes(8));
        assertEquals("COMPLETED", waitForStatus(run.runId(), "COMPLETED", Duration.ofMinutes(2)));

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream o = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"runs", "--gateway", stack.gatewayUrl(), "--limit", "500"}, o, o),
                out.toString(StandardCharsets.UTF_8));
        List<String> table = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(table.get(0).startsWith("RUN "), table.get(0));
        JsonNode detail = EventCodec.mapper().readTree(get("/api/runs/" + run.runId()).body());
        assertTrue(detail.get("cells").asInt() >= cells, detail.toString());
        String counter = detail.get("cells").asText() + (detail.path("grid").path("cellsExpected").asInt() > 0
                ? "/" + detail.path("grid").path("cellsExpected").asText() : "");
        assertTrue(table.stream().anyMatch(l -> l.startsWith(run.runId() + " ") && l.contains(" COMPLETED ")
                && l.contains(" " + counter + " ")), counter + " in\n" + String.join("\n", table));

        out.reset();
        assertEquals(0, Main.run(new String[] {"export", run.runId(), "--out", tmp.toString(), "--gateway",
                stack.gatewayUrl()}, o, o), out.toString(StandardCharsets.UTF_8));
        Path zip = tmp.resolve(run.runId() + "-bundle.zip");
        try (java.util.zip.ZipFile file = new java.util.zip.ZipFile(zip.toFile())) {
            for (String name : List.of("run.json", "config.json", "hybrids.json", "hybrids.csv", "summaries.csv",
                    "stats.csv", "progress.csv", "checkpoints.csv", "manifest.json")) {
                assertTrue(file.getEntry(name) != null, name + " in " + zip);
            }
            String csv = new String(file.getInputStream(file.getEntry("hybrids.csv")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertEquals(get("/api/runs/" + run.runId() + "/hybrids?format=csv").body(), csv);
            assertEquals(cells + 1, csv.lines().count());
        }
    }

    /** The tiny run of {@link #CONFIG}, submitted once by whichever test needs it first, followed live from then. */
    record TinyRun(String runId, RunConfig config, List<JsonNode> live, Thread liveReader) {
    }

    private static TinyRun tiny;

    static synchronized TinyRun tinyRun() throws Exception {
        if (tiny == null) {
            HttpResponse<String> created = post("/api/runs", CONFIG);
            assertEquals(202, created.statusCode(), created.body());
            String runId = EventCodec.mapper().readTree(created.body()).get("runId").asText();
            assertTrue(created.headers().firstValue("Location").orElse("").endsWith("/api/runs/" + runId));
            List<JsonNode> live = new CopyOnWriteArrayList<>();
            Thread reader = follow(runId, live);
            tiny = new TinyRun(runId, EventCodec.mapper().readValue(CONFIG, RunConfig.class).withDefaults(), live,
                    reader);
        }
        return tiny;
    }

    /**
     * A trained run's checkpoints leave the stack as ONNX segments ({@code GET .../checkpoints/{step}/onnx}, the import
     * format) and come back as a new run ({@code POST /api/imports} with the run's dataset, evaluation size and seed):
     * the splicer, now running them with ONNX Runtime instead of DJL, gives the grid it gave the trained run, cell by
     * cell (the same predictions, so the same accuracies and agreements; the losses and distances to float precision).
     */
    @Test
    void aTrainedRunExportedAsOnnxAndImportedBackHasTheSameGrid() throws Exception {
        TinyRun run = tinyRun();
        RunConfig config = run.config();
        int k = config.checkpointSteps().size();
        int cells = CUTS.size() * k * k;
        JsonNode trained = waitForGrid(run.runId(), cells, Duration.ofMinutes(8));
        String copy = "e2e-reimport-" + Long.toHexString(System.nanoTime());
        for (int step : config.checkpointSteps()) {
            URI onnx = URI.create(stack.gatewayUrl() + "/api/runs/" + run.runId() + "/checkpoints/" + step + "/onnx");
            HttpResponse<byte[]> export = HTTP.send(HttpRequest.newBuilder(onnx).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, export.statusCode(), () -> new String(export.body(), StandardCharsets.UTF_8));
            assertEquals("application/zip", export.headers().firstValue("Content-Type").orElse(""));
            Map<String, byte[]> files = unzip(export.body());
            ImportManifest manifest = ImportManifest.parse(files.get(ImportManifest.FILE));
            assertEquals(step, manifest.step());
            assertEquals(run.runId(), manifest.run());
            assertEquals(CUTS, manifest.cuts());
            assertEquals(List.of("stem", "stage1", "stage2", "head"),
                    manifest.segments().stream().map(ImportManifest.Segment::name).toList());
            assertEquals(Set.of(ImportManifest.FILE, "stem.onnx", "stage1.onnx", "stage2.onnx", "head.onnx"),
                    files.keySet());
            // the manifest says how the run evaluated it: the import takes its dataset, evalSize and seed from there
            JsonNode source = EventCodec.mapper().valueToTree(manifest.source());
            assertEquals(config.dataset(), source.path("dataset").asText());
            HttpResponse<String> imported = importZip(copy, source.path("dataset").asText(),
                    source.path("evalSize").asInt(), source.path("seed").asLong(), export.body());
            assertEquals(202, imported.statusCode(), imported.body());
            assertEquals(0, EventCodec.mapper().readTree(imported.body()).path("warnings").size(), imported.body());
        }
        JsonNode back = waitForGrid(copy, cells, Duration.ofMinutes(4));
        assertSameCells(trained, cell -> predictions(run.runId(), cell), copy, back, "the re-imported run");
        HttpResponse<String> detail = get("/api/runs/" + copy);
        assertEquals("COMPLETED", EventCodec.mapper().readTree(detail.body()).path("status").asText());
    }

    /** Where this module's PyTorch script is, beside the test classes. */
    static final String PYTORCH_SCRIPT = "/pytorch/export_checkpoints.py";
    /** Debian's Python, which has torch 1.13, onnx and numpy (not a Python of the user's PATH). */
    static final Path PYTHON = Path.of("/usr/bin/python3");

    /**
     * A network trained and exported by another framework joins the stack like a trained run, and the grid the stack
     * computes for it is the one that framework computes: PyTorch (Debian's torch 1.13) trains a tiny ResNet on the
     * synthetic training images written here (60 SGD steps: from chance to about 40% accuracy), exports three
     * checkpoints with {@code torch.onnx.export} (its own exporter, BatchNorm kept as nodes, its own input
     * normalisation) and evaluates every hybrid of every cut itself on the splicer's evaluation subset of such an
     * import, also written here. The zips are posted to the gateway, and every cell of the grid that comes back equals
     * PyTorch's.
     */
    @Test
    void aNetworkTrainedAndExportedByPyTorchIsSplicedAsPyTorchSplicesIt() throws Exception {
        assumeTrue(pytorchAvailable(), "needs Debian's /usr/bin/python3 with torch, onnx and numpy "
                + "(apt-get install -y --no-install-recommends python3-torch python3-onnx python3-numpy)");
        int evalSize = 120;
        long seed = 3;
        RunConfig evaluation = new RunConfig(null, null, "synthetic", null, null, null, null, null, seed, null,
                evalSize).withDefaults();
        ImageDataset eval = Datasets.evalSubset(evaluation); // what the splicer evaluates an import of these on
        ImageDataset train = SyntheticImages.split("train", 320);
        Path work = Path.of("target", "pytorch-export").toAbsolutePath();
        ItStacks.deleteRecursively(work);
        Files.createDirectories(work);
        writeNpy(work, "train", train);
        writeNpy(work, "eval", eval);
        DatasetInfo synthetic = DatasetInfo.of("synthetic").orElseThrow();
        String run = "e2e-pytorch-" + Long.toHexString(System.nanoTime());
        Path out = work.resolve("out");
        Path script = Path.of(EndToEndIT.class.getResource(PYTORCH_SCRIPT).toURI());
        int exit = python(work.resolve("python.log"), script.toString(), "--data", work.toString(), "--out",
                out.toString(), "--run", run, "--steps", "0,30,60", "--dataset-mean", floats(synthetic.mean()),
                "--dataset-std", floats(synthetic.std()));
        assertEquals(0, exit, () -> "the PyTorch script failed:\n" + read(work.resolve("python.log")));

        JsonNode expected = EventCodec.mapper().readTree(out.resolve("expected.json").toFile());
        List<String> zips = new ArrayList<>();
        expected.path("zips").forEach(z -> zips.add(z.asText()));
        assertEquals(3, zips.size(), expected.toString());
        for (String zip : zips) {
            HttpResponse<String> r = importZip(run, "synthetic", evalSize, seed, Files.readAllBytes(out.resolve(zip)));
            assertEquals(202, r.statusCode(), zip + ": " + r.body());
            assertEquals(0, EventCodec.mapper().readTree(r.body()).path("warnings").size(), r.body());
        }
        int cells = CUTS.size() * zips.size() * zips.size();
        assertEquals(cells, expected.path("cells").size());
        JsonNode grid = waitForGrid(run, cells, Duration.ofMinutes(4));
        assertSameCells(expected, cell -> cell.path("predictions"), run, grid, "PyTorch's grid");
    }

    /**
     * How close two grids' metrics must be: the fractions of images (the same predictions) to rounding, the losses and
     * distances to float precision (two engines add in different orders).
     */
    static final Map<String, Double> METRIC_TOLERANCES = Map.of("accuracy", 1e-12, "agreementDeep", 1e-12,
            "agreementShallow", 1e-12, "relativeAccuracy", 1e-12, "crossEntropy", 1e-4, "klDeep", 1e-4,
            "relativeFeatureDistance", 1e-4);

    /**
     * Every cell of {@code want} is in the grid {@code got} of run {@code gotRun} once (by cut and steps), with the same
     * number of images, each metric {@code want} has within {@link #METRIC_TOLERANCES} (relative above 1), and image by
     * image the same predicted class and, to 1e-4, the same logit margin (the stored predictions of the cell against
     * {@code wantPredictions} of the wanted one); {@code got} has no other cells.
     */
    private static void assertSameCells(JsonNode want, Function<JsonNode, JsonNode> wantPredictions, String gotRun,
            JsonNode got, String what) {
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode c : got.path("cells")) {
            String key = cellKey(c);
            assertTrue(byKey.put(key, c) == null, "one cell " + key + " in " + what);
        }
        assertEquals(want.path("cells").size(), byKey.size(), "cells of " + what);
        for (JsonNode w : want.path("cells")) {
            String key = cellKey(w);
            JsonNode g = byKey.get(key);
            assertTrue(g != null, what + " lacks cell " + key);
            assertEquals(w.path("samples").asInt(), g.path("samples").asInt(), key);
            for (Map.Entry<String, Double> t : METRIC_TOLERANCES.entrySet()) {
                JsonNode wv = w.path("metrics").path(t.getKey());
                if (wv.isMissingNode()) {
                    continue; // relativeAccuracy is absent when the deep donor gets nothing right
                }
                JsonNode gv = g.path("metrics").path(t.getKey());
                assertTrue(gv.isNumber(), what + " " + key + " lacks " + t.getKey() + ": " + g);
                assertEquals(wv.asDouble(), gv.asDouble(), t.getValue() * Math.max(1, Math.abs(wv.asDouble())),
                        what + " " + key + " " + t.getKey());
            }
            JsonNode wantRows = wantPredictions.apply(w);
            JsonNode gotRows = predictions(gotRun, g);
            assertEquals(w.path("samples").asInt(), wantRows.size(), what + " " + key + ": predictions");
            assertEquals(wantRows.size(), gotRows.size(), what + " " + key + ": predictions");
            for (int i = 0; i < wantRows.size(); i++) {
                String image = what + " " + key + " image " + i;
                assertEquals(wantRows.get(i).path("predicted").asInt(), gotRows.get(i).path("predicted").asInt(),
                        image);
                assertEquals(wantRows.get(i).path("logitMargin").asDouble(),
                        gotRows.get(i).path("logitMargin").asDouble(), 1e-4, image);
            }
        }
    }

    /** The stored per-image predictions of a cell of a run's grid (evaluation set test, BatchNorm mode carry). */
    private static JsonNode predictions(String runId, JsonNode cell) {
        try {
            HttpResponse<String> r = get("/api/runs/" + runId + "/hybrids/predictions?cut=" + cell.path("cut").asText()
                    + "&evalSet=test&bnMode=carry&shallow=" + cell.path("shallowStep").asInt() + "&deep="
                    + cell.path("deepStep").asInt());
            assertEquals(200, r.statusCode(), r.body());
            return EventCodec.mapper().readTree(r.body()).path("predictions");
        } catch (Exception e) {
            throw new IllegalStateException("predictions of " + runId + " " + cellKey(cell), e);
        }
    }

    private static String cellKey(JsonNode cell) {
        return cell.path("cut").asText() + " " + cell.path("shallowStep").asInt() + "->" + cell.path("deepStep").asInt();
    }

    private static HttpResponse<String> importZip(String run, String dataset, int evalSize, long seed, byte[] zip)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/imports?run=" + run
                + "&dataset=" + dataset + "&evalSize=" + evalSize + "&seed=" + seed + "&evalSets=test"))
                .header("Content-Type", "application/zip").header("X-Api-Token", stack.apiToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws java.io.IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    /** A dataset's images (NCHW float32) and labels (int32) as {@code <name>-images.npy} and {@code -labels.npy}. */
    private static void writeNpy(Path dir, String name, ImageDataset data) throws java.io.IOException {
        Files.write(dir.resolve(name + "-images.npy"), Npy.floats(data.pixels(), data.size(), data.channels(),
                data.height(), data.width()));
        Files.write(dir.resolve(name + "-labels.npy"), Npy.ints(data.labels(), data.size()));
    }

    private static String floats(float[] values) {
        StringBuilder out = new StringBuilder();
        for (float v : values) {
            out.append(out.isEmpty() ? "" : ",").append(v);
        }
        return out.toString();
    }

    /** Whether Debian's Python has what the script imports. */
    private static boolean pytorchAvailable() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Path log = Files.createTempFile("python-probe", ".log");
        try {
            return python(log, "-c", "import torch, onnx, numpy") == 0;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs Debian's Python with the arguments, its output to {@code log}; its exit status (5 minutes at most). */
    private static int python(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Debian's own packages only: nothing of another Python's environment
        builder.environment().keySet().removeIf(k -> k.startsWith("PYTHON"));
        builder.environment().put("PYTHONNOUSERSITE", "1");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = builder.start();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("python did not finish in 5 minutes: " + read(log));
        }
        return p.exitValue();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Reads every record of every public topic off the broker, from the beginning to the current end, and validates
     * each: key = subject, the CloudEvents Kafka binding's {@code content-type} header of structured mode, envelope
     * and data against docs/events/schemas. The run's records must cover its whole flow, noise and analyses included,
     * and none of them may be a dead letter.
     */
    private static void assertEveryRecordOnTheBrokerConformsToTheContract(String runId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        Set<String> runTypes = new java.util.TreeSet<>();
        Set<String> analyses = new java.util.TreeSet<>();
        int deadLetters = 0;
        try (var consumer = io.splicelab.kafka.StringClients.consumer(stack.bootstrapServers(),
                "contract-check-" + java.util.UUID.randomUUID())) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            for (String topic : io.splicelab.model.events.Topics.ALL) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(
                        new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "reading the topics to their end");
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (io.splicelab.model.events.Topics.DEAD_LETTERS.equals(r.topic())) {
                        deadLetters += runId.equals(r.key()) ? 1 : 0;
                        continue;
                    }
                    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
                    var contentType = r.headers().lastHeader(EventCodec.CONTENT_TYPE_HEADER);
                    assertTrue(contentType != null, where + " has a content-type header");
                    assertEquals(EventCodec.STRUCTURED_CONTENT_TYPE,
                            new String(contentType.value(), StandardCharsets.UTF_8), where);
                    JsonNode event = EventCodec.mapper().readTree(r.value());
                    assertEquals(r.key(), event.path("subject").asText(), where + ": key = subject");
                    assertEquals(r.topic(), EventType.ofType(event.path("type").asText()).orElseThrow().topic(),
                            where + ": " + event.path("type").asText() + " travels on its topic");
                    events.add(event);
                    if (runId.equals(r.key())) {
                        runTypes.add(event.path("type").asText());
                        if (EventType.STATS_COMPUTED.type().equals(event.path("type").asText())) {
                            analyses.add(event.path("data").path("analysis").asText());
                        }
                    }
                }
            }
        }
        assertConformsToContract(events);
        assertEquals(0, deadLetters, "dead letters of run " + runId);
        for (EventType t : List.of(EventType.RUN_REQUESTED, EventType.RUN_STARTED, EventType.RUN_PROGRESS,
                EventType.RUN_COMPLETED, EventType.CHECKPOINT_CREATED, EventType.NOISE_SAMPLED,
                EventType.HYBRID_EVALUATED, EventType.TC_SUMMARY_COMPUTED, EventType.HYBRID_PROGRESS,
                EventType.FEATURES_SNAPSHOTTED, EventType.STATS_COMPUTED)) {
            assertTrue(runTypes.contains(t.type()), "the run's records have a " + t.type() + ": " + runTypes);
        }
        assertTrue(analyses.containsAll(Set.of("class-overlap-tv", "noise-anisotropy", "noise-spectrum",
                "noise-tail-index")), "the run's analyses: " + analyses);
    }

    /** Validates each envelope and its data against docs/events/schemas (JSON Schema draft-07). */
    private static void assertConformsToContract(List<JsonNode> events) throws Exception {
        Path schemas = stack.repo().resolve("docs/events/schemas");
        com.networknt.schema.JsonSchemaFactory factory = com.networknt.schema.JsonSchemaFactory
                .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7);
        com.networknt.schema.JsonSchema envelope = factory.getSchema(
                EventCodec.mapper().readTree(schemas.resolve("cloudevent.json").toFile()));
        Map<String, com.networknt.schema.JsonSchema> data = new HashMap<>();
        Set<String> types = ConcurrentHashMap.newKeySet();
        for (JsonNode event : events) {
            String type = event.get("type").asText();
            types.add(type);
            com.networknt.schema.JsonSchema schema = data.computeIfAbsent(type, t -> {
                try {
                    return factory.getSchema(EventCodec.mapper().readTree(schemas.resolve(t + ".json").toFile()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("no schema for " + t, e);
                }
            });
            assertEquals(Set.of(), envelope.validate(event), "envelope of " + event);
            assertEquals(Set.of(), schema.validate(event.get("data")), "data of " + event);
        }
        assertTrue(types.containsAll(Set.of(EventType.RUN_STARTED.type(), EventType.RUN_PROGRESS.type(),
                EventType.CHECKPOINT_CREATED.type(), EventType.HYBRID_EVALUATED.type(),
                EventType.RUN_COMPLETED.type())), "event types seen: " + types);
    }

    private static double fraction(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / a.length;
    }

    private static Set<String> cellKeys(List<JsonNode> events) {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        for (JsonNode e : events) {
            if (EventType.HYBRID_EVALUATED.type().equals(e.get("type").asText())) {
                JsonNode d = e.get("data");
                keys.add(d.get("cut").asText() + "/" + d.get("shallowStep").asInt() + "/" + d.get("deepStep").asInt());
            }
        }
        return keys;
    }

    private static Thread follow(String runId, List<JsonNode> sink) {
        Thread t = new Thread(() -> {
            Client client = ClientBuilder.newClient();
            try (SseEventSource events = SseEventSource.target(client.target(stack.gatewayUrl() + "/api/runs/" + runId
                    + "/events")).build()) {
                events.register(ev -> {
                    if (!ev.isEmpty()) {
                        try {
                            sink.add(EventCodec.mapper().readTree(ev.readData()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                events.open();
                Thread.sleep(Long.MAX_VALUE);
            } catch (Exception e) {
                // the test interrupts the reader when done
            } finally {
                client.close();
            }
        }, "sse-" + runId);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static JsonNode waitForGrid(String runId, int cells, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode grid = null;
        while (System.nanoTime() < deadline) {
            grid = EventCodec.mapper().readTree(get("/api/runs/" + runId + "/hybrids?evalSet=test&bnMode=carry").body());
            if (grid.has("cells") && grid.get("cells").size() >= cells) {
                return grid;
            }
            JsonNode run = EventCodec.mapper().readTree(get("/api/runs/" + runId).body());
            if ("FAILED".equals(run.path("status").asText())) {
                throw new AssertionError("run failed: " + run.path("failure").asText());
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("grid incomplete after " + timeout + ": " + grid);
    }

    private static String waitForStatus(String runId, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = EventCodec.mapper().readTree(get("/api/runs/" + runId).body()).path("status").asText();
            if (status.equals(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        return last;
    }

    private static JsonNode statsOf(String runId, String analysis) {
        try {
            return EventCodec.mapper().readTree(get("/api/runs/" + runId + "/stats?analysis=" + analysis).body())
                    .path("results");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode stats(String runId) {
        try {
            return EventCodec.mapper().readTree(get("/api/runs/" + runId + "/stats?analysis=class-overlap-tv").body()).path("results");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !condition.holds()) {
            Thread.sleep(300);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .header("Content-Type", "application/json").header("X-Api-Token", stack.apiToken()).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
