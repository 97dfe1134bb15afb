package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One run end to end on the real parts: a Kafka broker in KRaft mode, the four packaged services,
 * H2 files and one artifact directory. A tiny run is submitted to the gateway; the complete hybrid
 * grid must arrive over the API and over the event stream, and equal a direct, uncached evaluation of
 * the same checkpoints done here, image by image (the per-image predictions, as JSON and as CSV).
 */
class EndToEndIT {
    /** The splicer's default cuts, those of the stack's grids. */
    static final List<String> CUTS = Architectures.STAGE_CUTS;
    static final String CONFIG = ItStacks.tinyRun(40, 20, 5, 600, 120);

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

        HttpResponse<String> created = post("/api/runs", CONFIG);
        assertEquals(202, created.statusCode(), created.body());
        String runId = EventCodec.mapper().readTree(created.body()).get("runId").asText();
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith("/api/runs/" + runId));

        // a live client from the start
        List<JsonNode> live = new CopyOnWriteArrayList<>();
        Thread liveReader = follow(runId, live);

        RunConfig config = EventCodec.mapper().readValue(CONFIG, RunConfig.class).withDefaults();
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
    }

    /** Validates each envelope and its data against docs/events/schemas (JSON Schema draft-07). */
    /**
     * A network trained elsewhere joins the stack like a trained run: its checkpoints, exported here as one
     * ONNX file per segment, are posted as zips to the gateway, and the splicer's grid for them arrives at
     * the gateway. Steps 0 and 10 carry the same weights, so their hybrids agree with both donors on every
     * image.
     */
    @Test
    void anImportedNetworkIsSplicedThroughTheWholeStack() throws Exception {
        NetworkSpec spec = new NetworkSpec("resnet20-b", 0.25, 3, 32, 32, 10);
        String run = "e2e-import-" + Long.toHexString(System.nanoTime());
        List<byte[]> weights = io.splicelab.splicer.splicing.SeededCheckpoints.of(spec, 2);
        int[][] steps = {{0, 0}, {10, 0}, {20, 1}}; // step, which weights
        for (int[] s : steps) {
            byte[] zip = importZip(spec, run, s[0], weights.get(s[1]));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                    + "/api/imports?run=" + run + "&dataset=synthetic&evalSize=60"))
                    .header("Content-Type", "application/zip").header("X-Api-Token", stack.apiToken())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
        }
        int expected = CUTS.size() * steps.length * steps.length;
        JsonNode[] grid = new JsonNode[1];
        waitUntil(() -> {
            HttpResponse<String> r = get("/api/runs/" + run + "/hybrids");
            grid[0] = r.statusCode() == 200 ? EventCodec.mapper().readTree(r.body()) : null;
            return grid[0] != null && grid[0].path("cells").size() >= expected;
        }, Duration.ofMinutes(4));
        assertTrue(grid[0] != null, "no grid for the imported run: " + LogFiles.tail(stack.logFile(Service.SPLICER)));
        assertEquals(expected, grid[0].path("cells").size(), "every cell of the imported run, once");
        int same = 0;
        for (JsonNode c : grid[0].path("cells")) {
            int a = c.path("shallowStep").asInt();
            int b = c.path("deepStep").asInt();
            if (a != b && a + b == 10) {
                same++;
                assertEquals(1.0, c.path("metrics").path("agreementDeep").asDouble(), c.toString());
                assertEquals(1.0, c.path("metrics").path("agreementShallow").asDouble(), c.toString());
            }
        }
        assertEquals(2 * CUTS.size(), same);
        HttpResponse<String> detail = get("/api/runs/" + run);
        assertEquals(200, detail.statusCode());
        assertEquals("COMPLETED", EventCodec.mapper().readTree(detail.body()).path("status").asText());
    }

    /** One checkpoint as the zip a user posts: ONNX segments stem, stage1, stage2, head and manifest.json. */
    private static byte[] importZip(NetworkSpec spec, String run, int step, byte[] weights) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (NDManager m = NDManager.newBaseManager();
                java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            CutNetwork net = Checkpoints.load(spec, weights, m);
            io.splicelab.splicer.onnx.DjlOnnxExport export = new io.splicelab.splicer.onnx.DjlOnnxExport(net, m);
            ai.djl.ndarray.types.Shape image = new ai.djl.ndarray.types.Shape(3, 32, 32);
            List<String> names = List.of("stem", "stage1", "stage2", "head");
            int[] bounds = {0, net.cutIndex("stem"), net.cutIndex("stage1"), net.cutIndex("stage2"),
                    net.segments().size()};
            List<ImportManifest.Segment> segments = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                zip.putNextEntry(new java.util.zip.ZipEntry(names.get(i) + ".onnx"));
                zip.write(export.export(bounds[i], bounds[i + 1], image));
                zip.closeEntry();
                segments.add(new ImportManifest.Segment(names.get(i), names.get(i) + ".onnx"));
            }
            ImportManifest manifest = new ImportManifest(run, step, 10, new ImportManifest.Input(List.of(3, 32, 32),
                    List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0)), segments, CUTS).validated();
            zip.putNextEntry(new java.util.zip.ZipEntry(ImportManifest.FILE));
            zip.write(EventCodec.toJson(manifest).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }

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
