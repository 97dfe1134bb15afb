package io.splicelab.stats;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.store.LocalArtifactStore;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Kafka broker and the real PostgreSQL: feature snapshots in, one stored result
 * per cut (even when the snapshot is delivered twice), StatsComputed events out, unprocessable records to
 * the dead-letter topic while the service keeps going.
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

    private KafkaProducer<String, String> producer;

    @BeforeEach
    void producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p);
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
        Header service = dead.get(1).headers().lastHeader(DeadLetterPublisher.SERVICE_HEADER);
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
        Header h = r.headers().lastHeader(DeadLetterPublisher.REASON_HEADER);
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
        producer.send(new ProducerRecord<>(Topics.FEATURE_SNAPSHOTS, key, value)).get();
    }

    /** Reads a topic from the start until {@code count} matching records have been seen. */
    private List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
            int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
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
