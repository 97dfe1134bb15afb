package io.splicelab.cka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.kafka.KafkaBroker;
import io.splicelab.kafka.StringClients;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged consumer (target/cka-consumer.jar, its own process) started AFTER a run finished: a real broker
 * (KRaft), a fake finished run (run events, feature snapshot artifacts and their events) written first; the
 * consumer replays the topics and publishes a linear-CKA table per cut with ones on the diagonal. When the
 * gateway has been packaged (gateway/target/quarkus-app), the results are also checked at
 * {@code GET /api/runs/{id}/stats}.
 */
class CkaConsumerIT {
    static final String RUN = "r-cka-it";
    static final List<String> CUTS = List.of("stem", "stage1", "stage2");
    static final List<Integer> STEPS = List.of(0, 10, 20, 30);
    static final int N = 60;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path dir;
    static KafkaBroker broker;
    static final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Path.of("target", "cka-it").toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        broker = KafkaBroker.create(dir.resolve("kafka"), 0).start(Duration.ofSeconds(90));
        broker.createTopics(Topics.ALL, 3);
    }

    @AfterAll
    static void stop() {
        for (Process proc : processes) {
            proc.toHandle().descendants().forEach(ProcessHandle::destroy);
            proc.destroy();
            try {
                if (!proc.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    proc.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void startedAfterARunFinishedItComputesCkaForThatRun() throws Exception {
        // 1. a finished run: features of 4 checkpoints that drift with the step, as the splicer writes them
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        RunConfig config = EventCodec.mapper().readValue("{\"steps\":30,\"checkpointInterval\":10}", RunConfig.class)
                .withDefaults();
        EventCodec trainer = new EventCodec("/trainer-service");
        EventCodec splicer = new EventCodec("/splicer-service");
        // as a real run leaves it: requested (the gateway applies events only of runs it knows), the command
        // stored by the trainer before it started, then started
        RunRequested request = new RunRequested(RUN, config);
        store.put(RunArtifacts.runPrefix(RUN) + "/started.json", EventCodec.mapper().writeValueAsBytes(request),
                "application/json");
        try (KafkaProducer<String, String> producer = StringClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, RUN,
                    new EventCodec("/gateway").encode(RUN, request)));
            producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, RUN,
                    trainer.encode(RUN, new RunStarted(RUN, config, STEPS))));
            Random base = new Random(1);
            float[][][] start = new float[CUTS.size()][N][8];
            for (float[][] m : start) {
                for (float[] row : m) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (float) base.nextGaussian();
                    }
                }
            }
            for (int step : STEPS) {
                Random r = new Random(step + 100L);
                Map<String, float[][]> features = new LinkedHashMap<>();
                for (int c = 0; c < CUTS.size(); c++) {
                    float[][] m = new float[N][8];
                    for (int i = 0; i < N; i++) {
                        for (int j = 0; j < 8; j++) {
                            m[i][j] = (float) (start[c][i][j] + 0.04 * step * r.nextGaussian());
                        }
                    }
                    features.put(CUTS.get(c), m);
                }
                int[] labels = new int[N];
                for (int i = 0; i < N; i++) {
                    labels[i] = i % 10;
                }
                ArtifactRef ref = store.put(RunArtifacts.featureSnapshot(RUN, step, "test"),
                        new FeatureSnapshot(labels, features).encode(), FeatureSnapshot.MEDIA_TYPE);
                producer.send(new ProducerRecord<>(Topics.FEATURE_SNAPSHOTS, RUN,
                        splicer.encode(RUN, new FeaturesSnapshotted(RUN, step, "test", CUTS, N, ref))));
            }
            producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, RUN,
                    trainer.encode(RUN, new RunCompleted(RUN, 30, STEPS.size(), 0.5))));
            // and a record nobody can read: the consumer dead-letters it and keeps going
            producer.send(new ProducerRecord<>(Topics.FEATURE_SNAPSHOTS, RUN, "{\"specversion\":\"0.3\"}"));
            producer.flush();
        }

        // 2. the gateway, when packaged, to see the results where users see them
        Path gatewayJar = Path.of("..", "gateway", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath()
                .normalize();
        String gatewayUrl = null;
        if (Files.isRegularFile(gatewayJar)) {
            int port = KafkaBroker.freePort();
            gatewayUrl = "http://127.0.0.1:" + port;
            launch("gateway", List.of(java(), "-Xmx384m", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                    "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(), "-Dquarkus.http.port=" + port,
                    "-Dsplicelab.data.dir=" + dir.resolve("gateway-data"),
                    "-Dsplicelab.artifacts.dir=" + store.root(), "-jar", gatewayJar.toString()));
        } else {
            System.out.println("gateway not packaged (" + gatewayJar + "): checking the results on Kafka only");
        }

        // 3. the consumer, started after the run finished: its own process, from the packaged jar
        Path jar = Path.of("target", "cka-consumer.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "package the module first: " + jar);
        Process consumer = launch("cka-consumer", List.of(java(), "-Xmx256m",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dsplicelab.artifacts.dir=" + store.root(), "-jar", jar.toString()));

        // 4. its results on splicelab.stats-results: one table per cut, the last one complete
        Map<String, JsonNode> tables = new HashMap<>();
        List<JsonNode> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, String> c = StringClients.consumer(broker.bootstrapServers(), "cka-it-reader")) {
            c.subscribe(List.of(Topics.STATS_RESULTS, Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && !(complete(tables) && !deadLetters.isEmpty())) {
                assertTrue(consumer.isAlive(), "the consumer exited: " + log("cka-consumer"));
                for (ConsumerRecord<String, String> rec : c.poll(Duration.ofMillis(500))) {
                    if (rec.topic().equals(Topics.DEAD_LETTERS)) {
                        deadLetters.add(EventCodec.mapper().createObjectNode().put("value", rec.value()));
                        continue;
                    }
                    JsonNode ev = EventCodec.mapper().readTree(rec.value());
                    assertEquals(RUN, rec.key(), "results are keyed by run id");
                    assertEquals(EventType.STATS_COMPUTED.type(), ev.get("type").asText());
                    tables.put(ev.get("data").get("cut").asText(), ev.get("data"));
                }
            }
        }
        assertTrue(complete(tables), "a complete table per cut: " + tables + "\n" + log("cka-consumer"));
        assertEquals(1, deadLetters.size(), "the unreadable record was dead-lettered");
        for (String cut : CUTS) {
            JsonNode t = tables.get(cut);
            assertEquals("linear-cka", t.get("analysis").asText());
            assertEquals("table", t.get("shape").asText());
            JsonNode cells = t.get("values").get("cells");
            for (int i = 0; i < STEPS.size(); i++) {
                assertEquals(1.0, cells.get(i).get(i).asDouble(), 1e-9, cut + ": CKA of a checkpoint with itself");
                for (int j = i + 1; j < STEPS.size(); j++) {
                    double v = cells.get(i).get(j).asDouble();
                    assertTrue(v > 0 && v < 1, cut + " " + STEPS.get(i) + "/" + STEPS.get(j) + ": " + v);
                    assertEquals(v, cells.get(j).get(i).asDouble(), 1e-12, "symmetric");
                }
            }
            assertTrue(cells.get(0).get(1).asDouble() > cells.get(0).get(3).asDouble(),
                    cut + ": similarity falls with the distance between checkpoints");
        }

        // 5. visible through the gateway's API like any other analysis
        if (gatewayUrl != null) {
            String url = gatewayUrl;
            waitUntil(() -> ready(url), Duration.ofSeconds(120), () -> "gateway not ready: " + log("gateway"));
            List<JsonNode> found = new ArrayList<>();
            waitUntil(() -> {
                found.clear();
                JsonNode stats = get(url + "/api/runs/" + RUN + "/stats");
                if (stats != null) {
                    JsonNode results = stats.has("results") ? stats.get("results") : stats;
                    results.forEach(r -> {
                        if ("linear-cka".equals(r.path("analysis").asText())
                                && r.path("values").path("rows").size() == STEPS.size()) {
                            found.add(r);
                        }
                    });
                }
                return found.size() == CUTS.size();
            }, Duration.ofSeconds(60), () -> "gateway stats: " + get(url + "/api/runs/" + RUN + "/stats") + "\n"
                    + log("gateway"));
            for (JsonNode r : found) {
                assertEquals(1.0, r.path("values").path("cells").get(2).get(2).asDouble(), 1e-9);
            }
        }
        assertTrue(consumer.isAlive());
        consumer.destroy();
        assertTrue(consumer.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "stops on SIGTERM");
        assertFalse(consumer.isAlive());
    }

    private static boolean complete(Map<String, JsonNode> tables) {
        return CUTS.stream().allMatch(c -> tables.containsKey(c)
                && tables.get(c).get("values").get("rows").size() == STEPS.size());
    }

    private static Process launch(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DNNL_MAX_CPU_ISA", System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "ALL"));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String log(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean ready(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? EventCodec.mapper().readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void waitUntil(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + ": " + why.get());
            }
            Thread.sleep(500);
        }
    }

    private static void deleteRecursively(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (var paths = Files.walk(d)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
