package io.splicelab.stats;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.kafka.StringClients;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.DeadLetters;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.features.NoiseMatrix;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.stats.results.CheckpointAccuracy;
import io.splicelab.stats.results.CheckpointAccuracyRepository;
import io.splicelab.stats.results.StatsResultRepository;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Kafka broker and the real PostgreSQL: feature snapshots and noise samples in,
 * one stored result per input and analysis (even when an input is delivered twice), StatsComputed events
 * out, unprocessable records to the dead-letter topic while the service keeps going; the windowed
 * probe-set distance, the run report and the ad-hoc analyses over HTTP.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class StatsStreamingIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final EventCodec TRAINER = new EventCodec("/trainer-service");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "splicelab.artifacts.dir")
    String artifactsDir;

    @Inject
    StatsResultRepository repository;

    @Inject
    CheckpointAccuracyRepository accuracies;

    private KafkaProducer<String, String> producer;

    @BeforeEach
    void producer() {
        producer = StringClients.producer(bootstrap);
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void snapshotDeliveredTwiceGivesOneResultPerCutAndBadRecordsAreDeadLettered() throws Exception {
        String runId = "it-" + UUID.randomUUID();
        LocalArtifactStore store = new LocalArtifactStore(Path.of(artifactsDir));
        FeatureSnapshot snapshot = snapshot(new Random(7), 3, 30);
        ArtifactRef ref = store.put("runs/" + runId + "/features/step-10.train.slfs", snapshot.encode(),
                FeatureSnapshot.MEDIA_TYPE);
        String event = TRAINER.encode(runId,
                new FeaturesSnapshotted(runId, 10, "train", List.of("stem", "stage1"), 90, ref));

        send(runId, event);
        send(runId, event);

        // 2 deliveries x 2 cuts = 4 events, but only 2 rows
        List<ConsumerRecord<String, String>> results = await(Topics.STATS_RESULTS,
                r -> runId.equals(r.key()), 4);
        for (ConsumerRecord<String, String> r : results) {
            Envelope env = EventCodec.decode(r.value());
            assertEquals(EventType.STATS_COMPUTED.type(), env.type());
            assertEquals(runId, env.subject());
            assertEquals("/stats-service", env.source());
            JsonNode data = env.data();
            assertEquals("class-overlap-tv", data.get("analysis").asText());
            assertEquals("train", data.get("probeSet").asText());
            assertEquals(10, data.get("steps").get(0).asInt());
            assertEquals("scalar", data.get("shape").asText());
            double mean = data.get("values").get("meanTv").asDouble();
            assertTrue(mean > 0.5 && mean <= 1.0, "well separated classes, mean TV " + mean);
            assertEquals(3, data.get("values").get("pairCount").asInt());
            assertEquals(64, data.get("values").get("gridSize").asInt());
            assertEquals("scott", data.get("parameters").get("bandwidth").asText());
        }
        assertEquals(2, repository.count("runId", runId), "one stored result per cut");

        // a garbage record and a record whose artifact sha256 is wrong go to the dead letters
        send(runId, "this is { not json");
        ArtifactRef tampered = new ArtifactRef(ref.uri(), ref.size(), "0".repeat(64), ref.mediaType());
        String badSha = TRAINER.encode(runId,
                new FeaturesSnapshotted(runId, 10, "test", List.of("stem"), 90, tampered));
        send(runId, badSha);
        List<ConsumerRecord<String, String>> dead = await(Topics.DEAD_LETTERS, r -> runId.equals(r.key()), 2);
        assertEquals("this is { not json", dead.get(0).value());
        assertTrue(reason(dead.get(0)).contains("JSON"), reason(dead.get(0)));
        assertEquals(badSha, dead.get(1).value());
        assertTrue(reason(dead.get(1)).contains("sha256"), reason(dead.get(1)));
        Header service = dead.get(1).headers().lastHeader(DeadLetters.SERVICE_HEADER);
        assertEquals("stats-service", new String(service.value(), StandardCharsets.UTF_8));

        // ... and the service keeps working
        FeatureSnapshot later = snapshot(new Random(8), 3, 30);
        ArtifactRef laterRef = store.put("runs/" + runId + "/features/step-20.train.slfs", later.encode(),
                FeatureSnapshot.MEDIA_TYPE);
        send(runId, TRAINER.encode(runId,
                new FeaturesSnapshotted(runId, 20, "train", List.of("stem", "stage1"), 90, laterRef)));
        await(Topics.STATS_RESULTS, r -> runId.equals(r.key()), 6);
        assertEquals(4, repository.count("runId", runId));

        given().when().get("/api/stats/{runId}", runId).then().statusCode(200)
                .body("$", hasSize(4))
                .body("[0].analysis", equalTo("class-overlap-tv"))
                .body("[0].runId", equalTo(runId));
        given().when().get("/api/stats/{runId}", "no-such-run").then().statusCode(200).body("$", hasSize(0));
    }

    private static String reason(ConsumerRecord<String, String> r) {
        Header h = r.headers().lastHeader(DeadLetters.REASON_HEADER);
        return h == null ? "<no reason header>" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Labels 0..classes-1, two cuts whose class means are far apart. */
    private static FeatureSnapshot snapshot(Random rnd, int classes, int perClass) {
        int n = classes * perClass;
        int[] labels = new int[n];
        Map<String, float[][]> features = new LinkedHashMap<>();
        float[][] stem = new float[n][8];
        float[][] stage1 = new float[n][16];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 8; j++) {
                stem[i][j] = (float) (rnd.nextGaussian() + (j == labels[i] ? 6 : 0));
            }
            for (int j = 0; j < 16; j++) {
                stage1[i][j] = (float) (rnd.nextGaussian() + (j % classes == labels[i] ? 5 : 0));
            }
        }
        features.put("stem", stem);
        features.put("stage1", stage1);
        return new FeatureSnapshot(labels, features);
    }

    private void send(String key, String value) throws Exception {
        send(Topics.FEATURE_SNAPSHOTS, key, value);
    }

    private void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    @Test
    void noiseDeliveredTwiceGivesOneResultPerAnalysisAndAlignsWithEarlierUpdates() throws Exception {
        String runId = "it-noise-" + UUID.randomUUID();
        LocalArtifactStore store = new LocalArtifactStore(Path.of(artifactsDir));
        Random rnd = new Random(3);
        int m = 16;
        int p = 600;
        float[] direction = new float[p];
        for (int j = 0; j < p; j++) {
            direction[j] = (float) rnd.nextGaussian();
        }
        List<String> events = new ArrayList<>();
        for (int step : List.of(10, 20)) {
            float[] noise = new float[m * p];
            for (int i = 0; i < m; i++) {
                double a = 4 * rnd.nextGaussian();
                for (int j = 0; j < p; j++) {
                    noise[i * p + j] = (float) (rnd.nextGaussian() + a * direction[j]);
                }
            }
            float[] update = new float[p];
            for (int j = 0; j < p; j++) {
                update[j] = (float) (0.1 * rnd.nextGaussian() + direction[j] * (step == 10 ? 1 : -0.5));
            }
            ArtifactRef n = store.put("runs/" + runId + "/noise/step-" + step + ".slnm",
                    new NoiseMatrix(m, p, noise).encode(), NoiseMatrix.MEDIA_TYPE);
            ArtifactRef u = store.put("runs/" + runId + "/noise/step-" + step + ".update.slnm",
                    new NoiseMatrix(1, p, update).encode(), NoiseMatrix.MEDIA_TYPE);
            events.add(TRAINER.encode(runId, new NoiseSampled(runId, step, m, 32, p, null, null, n, u)));
        }
        send(Topics.NOISE_SAMPLES, runId, events.get(0));
        send(Topics.NOISE_SAMPLES, runId, events.get(0));
        send(Topics.NOISE_SAMPLES, runId, events.get(1));

        // 4 analyses x 3 deliveries, 8 rows
        List<ConsumerRecord<String, String>> results = await(Topics.STATS_RESULTS, r -> runId.equals(r.key()), 12);
        Map<String, Integer> perAnalysis = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : results) {
            JsonNode data = EventCodec.decode(r.value()).data();
            perAnalysis.merge(data.get("analysis").asText(), 1, Integer::sum);
            assertEquals(500, data.get("parameters").get("nullDraws").asInt(), "parameters recorded");
        }
        assertEquals(Map.of("noise-anisotropy", 3, "noise-spectrum", 3, "noise-alignment", 3, "noise-tail-index", 3),
                perAnalysis);
        assertEquals(8, repository.count("runId", runId), "one stored result per step and analysis");

        given().when().get("/api/stats/{runId}", runId).then().statusCode(200).body("$", hasSize(8))
                .body("find { it.analysis == 'noise-anisotropy' && it.steps[0] == 20 }.values.isotropyRejected",
                        equalTo(true))
                .body("find { it.analysis == 'noise-anisotropy' }.values.directionsForThreshold", greaterThan(0))
                .body("find { it.analysis == 'noise-alignment' && it.steps[0] == 20 }.values.updateSteps",
                        equalTo(List.of(20, 10)))
                .body("find { it.analysis == 'noise-spectrum' }.shape", equalTo("series"))
                .body("find { it.analysis == 'noise-spectrum' }.values.y.nullQ95", hasSize(m - 1));

        // a noise artifact whose sha256 does not match goes to the dead letters
        NoiseSampled good = EventCodec.payload(EventCodec.decode(events.get(1)), NoiseSampled.class);
        ArtifactRef tampered = new ArtifactRef(good.noise().uri(), good.noise().size(), "0".repeat(64),
                good.noise().mediaType());
        String bad = TRAINER.encode(runId, new NoiseSampled(runId, 30, m, 32, p, null, null, tampered, null));
        send(Topics.NOISE_SAMPLES, runId, bad);
        List<ConsumerRecord<String, String>> dead = await(Topics.DEAD_LETTERS, r -> runId.equals(r.key()), 1);
        assertTrue(reason(dead.get(0)).contains("sha256"), reason(dead.get(0)));

        given().when().get("/api/stats/{runId}/report", runId).then().statusCode(200)
                .body("isotropy.checkpoints", equalTo(2))
                .body("isotropy.rejectedAt", equalTo(2))
                .body("isotropy.claim", containsString("rejected"))
                .body("missing", hasItem(containsString("generalization gap")));
    }

    @Test
    void probeSetPairsAreComparedOverWindowsAndTheReportPairsThemWithTheGap() throws Exception {
        String runId = "it-window-" + UUID.randomUUID();
        LocalArtifactStore store = new LocalArtifactStore(Path.of(artifactsDir));
        Random rnd = new Random(4);
        Map<String, String> events = new LinkedHashMap<>();
        for (int step : List.of(10, 20, 30)) {
            for (String set : List.of("test", "train-probe")) {
                ArtifactRef ref = store.put("runs/" + runId + "/features/step-" + step + "." + set + ".slfs",
                        snapshot(rnd, 3, 20).encode(), FeatureSnapshot.MEDIA_TYPE);
                events.put(step + set, TRAINER.encode(runId,
                        new FeaturesSnapshotted(runId, step, set, List.of("stem", "stage1"), 60, ref)));
            }
            for (String set : List.of("test", "train-probe")) {
                send(Topics.HYBRID_RESULTS, runId, TRAINER.encode(runId, new HybridEvaluated(runId, "stem", set,
                        "carry", "float32", step, step, 60, Map.of("accuracy", set.equals("test") ? 0.5 + step / 100.0
                                : 0.6 + step / 50.0))));
            }
        }
        // test first at each step (nothing to compare yet), then train-probe; step 30's train-probe twice
        for (int step : List.of(10, 20, 30)) {
            send(runId, events.get(step + "test"));
            send(runId, events.get(step + "train-probe"));
        }
        send(runId, events.get("30train-probe"));

        // class overlap: 7 deliveries x 2 cuts; probe distance: (1 + 1 + 2) x 2 cuts
        List<ConsumerRecord<String, String>> results = await(Topics.STATS_RESULTS, r -> runId.equals(r.key()), 22);
        List<JsonNode> distances = new ArrayList<>();
        for (ConsumerRecord<String, String> r : results) {
            JsonNode data = EventCodec.decode(r.value()).data();
            if ("probe-distance".equals(data.get("analysis").asText())) {
                distances.add(data);
            }
        }
        assertEquals(8, distances.size());
        JsonNode last = distances.get(distances.size() - 1);
        assertEquals("test|train-probe", last.get("probeSet").asText());
        assertEquals("[10,20,30]", last.get("steps").toString(), "window of 3 checkpoints");
        assertEquals(3, last.get("parameters").get("window").asInt());
        assertEquals(180, last.get("values").get("samplesA").asInt(), "3 steps x 60 probes");
        assertTrue(last.get("values").get("tv").asDouble() >= 0 && last.get("values").get("tv").asDouble() <= 1);
        assertEquals(6 * 2 + 3 * 2, repository.count("runId", runId), "class overlap 6 x 2 + distance 3 x 2");

        // the report pairs the distance with the gap once the diagonal accuracies are in
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode report;
        do {
            report = EventCodec.mapper().readTree(given().when().get("/api/stats/{runId}/report", runId).then()
                    .statusCode(200).extract().asString());
            Thread.sleep(200);
        } while (report.get("featureDistance").get(0).get("spearmanTvVsGap").isNull() && System.nanoTime() < deadline);
        JsonNode first = report.get("featureDistance").get(0);
        assertEquals("train-probe", first.get("trainEvalSet").asText());
        assertEquals(3, first.get("series").size());
        assertEquals(0.1 + 10 / 50.0 - 10 / 100.0, first.get("series").get(0).get("generalizationGap").asDouble(), 1e-9);
        assertTrue(first.get("spearmanTvVsGap").isNumber(), report.toString());
    }

    @Test
    void adHocAnalysesAnswerOrSayWhatIsWrong() {
        given().when().get("/api/analyses").then().statusCode(200).body("name", hasItem("noise-anisotropy"));
        authorized().contentType("application/json")
                .body("{\"x\": [[0,0],[1,0],[0,1],[1,1]], \"y\": [[3,3],[4,3],[3,4],[4,4]], "
                        + "\"parameters\": {\"permutations\": 99}}")
                .when().post("/api/analyses/mmd").then().statusCode(200)
                .body("analysis", equalTo("mmd")).body("permutations", equalTo(99));
        authorized().contentType("application/json").body("{\"x\": [[1,2],[3]], \"y\": [[1,2],[3,4]]}")
                .when().post("/api/analyses/mmd").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("ragged"))
                .body("errors[0].field", equalTo("x"));
        authorized().contentType("application/json").body("{\"samples\": [[1, NaN]]}")
                .when().post("/api/analyses/spectrum").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not valid JSON"));
        authorized().contentType("application/json").body("{\"samples\": [[1,2],[3,4]]}")
                .when().post("/api/analyses/sphericity").then().statusCode(400)
                .body("detail", containsString("too few samples"));
        authorized().contentType("application/json").body("{}")
                .when().post("/api/analyses/no-such").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/analyses/{name}")).body(containsString("noise-anisotropy"));
    }

    @Test
    void adHocAnalysesNeedTheApiTokenWhenOneIsConfigured() {
        String body = "{\"x\": [0.1, 0.5, 0.9, 1.3], \"y\": [2.0, 2.2, 2.9, 3.1, 3.3]}";
        given().contentType("application/json").body(body).when().post("/api/analyses/ks").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                .body("detail", containsString("API token"));
        given().header("X-Api-Token", "not-the-token").contentType("application/json").body(body)
                .when().post("/api/analyses/ks").then().statusCode(401);
        given().header("Authorization", "Bearer " + KafkaBrokerResource.API_TOKEN).contentType("application/json")
                .body(body).when().post("/api/analyses/ks").then().statusCode(200).body("analysis", equalTo("ks"));
        given().when().get("/api/analyses").then().statusCode(200);
        given().when().get("/api/stats/{runId}", "any").then().statusCode(200);
    }

    @Test
    void hostileRecordsAreDeadLetteredWithTheContractHeadersAndTheConsumersGoOn() throws Exception {
        String runId = "it-hostile-" + UUID.randomUUID();
        // hybrid-results: a cell whose run id climbs out of its directory, garbage, a diagonal cell without
        // accuracy; between them a well-formed TC summary (skipped, not dead-lettered); then a good cell
        String climbing = TRAINER.encode("../x", new HybridEvaluated("../x", "stem", "test", "carry", "float32",
                10, 10, 60, Map.of("accuracy", 0.5)));
        String summary = "{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"/splicer-service\",\"type\":\""
                + EventType.TC_SUMMARY_COMPUTED.type() + "\",\"subject\":\"" + runId + "\",\"data\":{\"runId\":\""
                + runId + "\",\"cut\":\"stem\",\"evalSet\":\"test\",\"bnMode\":\"carry\"}}";
        String noAccuracy = TRAINER.encode(runId, new HybridEvaluated(runId, "stem", "test", "carry", "float32", 10, 10,
                60, Map.of("loss", 1.0)));
        send(Topics.HYBRID_RESULTS, runId, climbing);
        send(Topics.HYBRID_RESULTS, runId, summary);
        send(Topics.HYBRID_RESULTS, runId, "{\"not\": \"an event\"}");
        send(Topics.HYBRID_RESULTS, runId, noAccuracy);
        send(Topics.HYBRID_RESULTS, runId, TRAINER.encode(runId, new HybridEvaluated(runId, "stem", "test", "carry",
                "float32", 10, 10, 60, Map.of("accuracy", 0.75))));
        // feature-snapshots: an artifact reference through a symbolic link out of the store, then to a directory
        Path link = Path.of(artifactsDir).resolve("runs/" + runId + "/features/step-10.test.slfs");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of("/etc/passwd"));
        String stolen = TRAINER.encode(runId, new FeaturesSnapshotted(runId, 10, "test", List.of("stem"), 90,
                new ArtifactRef("artifact:runs/" + runId + "/features/step-10.test.slfs", Files.size(link),
                        LocalArtifactStore.sha256(Files.readAllBytes(link)), FeatureSnapshot.MEDIA_TYPE)));
        String directory = TRAINER.encode(runId, new FeaturesSnapshotted(runId, 10, "test", List.of("stem"), 90,
                new ArtifactRef("artifact:runs", 4096, "0".repeat(64), FeatureSnapshot.MEDIA_TYPE)));
        send(runId, stolen);
        send(runId, directory);

        List<ConsumerRecord<String, String>> dead = await(Topics.DEAD_LETTERS, r -> runId.equals(r.key()), 5);
        Map<String, ConsumerRecord<String, String>> byValue = new LinkedHashMap<>();
        dead.forEach(r -> byValue.put(r.value(), r));
        ConsumerRecord<String, String> up = byValue.get(climbing);
        assertTrue(header(up, DeadLetters.REASON_HEADER).contains("invalid run id '../x'"), header(up,
                DeadLetters.REASON_HEADER));
        assertEquals(Topics.HYBRID_RESULTS, header(up, DeadLetters.SOURCE_TOPIC_HEADER));
        assertEquals("stats-service", header(up, DeadLetters.SERVICE_HEADER));
        assertEquals("0", header(up, DeadLetters.SOURCE_PARTITION_HEADER));
        assertTrue(Long.parseLong(header(up, DeadLetters.SOURCE_OFFSET_HEADER)) >= 0);
        assertEquals(EventType.HYBRID_EVALUATED.type(), header(up, DeadLetters.EVENT_TYPE_HEADER));
        assertEquals(EventCodec.decode(climbing).id(), header(up, DeadLetters.EVENT_ID_HEADER));
        assertTrue(header(byValue.get("{\"not\": \"an event\"}"), DeadLetters.REASON_HEADER).contains(
                "specversion"));
        assertTrue(header(byValue.get(noAccuracy), DeadLetters.REASON_HEADER).contains("accuracy"));
        assertTrue(header(byValue.get(stolen), DeadLetters.REASON_HEADER).contains("outside the artifact store"),
                header(byValue.get(stolen), DeadLetters.REASON_HEADER));
        assertEquals(Topics.FEATURE_SNAPSHOTS, header(byValue.get(stolen), DeadLetters.SOURCE_TOPIC_HEADER));
        assertTrue(header(byValue.get(directory), DeadLetters.REASON_HEADER).contains("directory"));
        assertTrue(!byValue.containsKey(summary), "a well-formed summary is skipped, not dead-lettered");

        // the good cell after the hostile ones is stored
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<CheckpointAccuracy> stored;
        do {
            stored = accuracies.byRun(runId);
            Thread.sleep(100);
        } while (stored.isEmpty() && System.nanoTime() < deadline);
        assertEquals(1, stored.size());
        assertEquals(0.75, stored.get(0).accuracy, 1e-12);
    }

    /** A request that carries the API token. */
    private static io.restassured.specification.RequestSpecification authorized() {
        return given().header("X-Api-Token", KafkaBrokerResource.API_TOKEN);
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Reads a topic from the start until {@code count} matching records have been seen. */
    private List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
            int count) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<String, String> consumer = StringClients.consumer(bootstrap, "it-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            while (seen.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (match.test(r)) {
                        seen.add(r);
                    }
                }
            }
        }
        assertTrue(seen.size() >= count, "expected " + count + " records on " + topic + ", saw " + seen.size());
        assertEquals(count, seen.size(), "records on " + topic);
        return seen;
    }
}
