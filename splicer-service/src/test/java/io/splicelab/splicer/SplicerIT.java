package io.splicelab.splicer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.kafka.StringClients;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.DeadLetters;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.HybridPredictions;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.splicer.splicing.HybridMetrics;
import io.splicelab.splicer.splicing.SeededCheckpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The splicer against a real Kafka broker, with the checkpoints channel's limit on an unacknowledged record
 * ({@code throttled.unprocessed-record-max-age.ms}) at 3 s while a checkpoint's evaluation (1000 images, up to 5
 * pairs at 3 cuts) takes far longer on this machine: the channel stays healthy, every cell arrives once (its
 * per-image predictions in the store) and the grid's progress ends {@code complete}; hostile records are
 * dead-lettered with the reason and the next good record is processed.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class SplicerIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final EventCodec TRAINER = new EventCodec("/trainer-service");
    private static final List<String> CUTS = List.of("stem", "stage1", "stage2");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "splicelab.artifacts.dir")
    String artifactsDir;

    private static RunConfig config(int evalSize) throws Exception {
        return EventCodec.mapper().readValue("{\"architecture\":\"resnet20-b\",\"widthMultiplier\":0.25,"
                + "\"dataset\":\"synthetic\",\"steps\":20,\"checkpointInterval\":10,\"trainSize\":64,\"evalSize\":"
                + evalSize + ",\"evalSets\":[\"test\"],\"bnModes\":[\"carry\"]}", RunConfig.class).withDefaults();
    }

    /** What the trainer does: parameters and manifest into the store; the event to publish. */
    private String checkpoint(LocalArtifactStore store, String runId, int step, byte[] params, int evalSize)
            throws Exception {
        ArtifactRef ref = store.put(RunArtifacts.checkpointParams(runId, step), params, Checkpoints.MEDIA_TYPE);
        CheckpointCreated c = new CheckpointCreated(runId, step, step / 10, config(evalSize), OnnxImportTest.SPEC, ref,
                1, 0.5);
        store.put(RunArtifacts.checkpointManifest(runId, step), EventCodec.toJson(c).getBytes(StandardCharsets.UTF_8),
                "application/json");
        return TRAINER.encode(runId, c);
    }

    @Test
    void checkpointsThatTakeLongerThanTheConsumerLimitKeepTheChannelHealthyAndEveryCellArrivesOnce()
            throws Exception {
        String runId = "it-slow-" + UUID.randomUUID().toString().substring(0, 8);
        LocalArtifactStore store = new LocalArtifactStore(Path.of(artifactsDir));
        List<byte[]> params = SeededCheckpoints.of(OnnxImportTest.SPEC, 3);
        List<String> events = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            events.add(checkpoint(store, runId, k * 10, params.get(k), 1000));
        }
        long t0 = System.nanoTime();
        send(Topics.CHECKPOINTS, runId, events.get(0));
        send(Topics.CHECKPOINTS, runId, events.get(1));
        send(Topics.CHECKPOINTS, runId, events.get(1)); // a redelivery: nothing new
        send(Topics.CHECKPOINTS, runId, events.get(2));
        store.put(RunArtifacts.completedMarker(runId), "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunCompleted(runId, 20, 3, 0.5)));

        List<ConsumerRecord<String, String>> results = await(Topics.HYBRID_RESULTS,
                r -> runId.equals(r.key()) && isFinal(r, GridProgress.COMPLETE), 1, r -> runId.equals(r.key()));
        System.out.printf("SplicerIT: 3 checkpoints of 1000 images evaluated in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        Set<List<Object>> cells = new HashSet<>();
        List<GridProgress> progress = new ArrayList<>();
        for (ConsumerRecord<String, String> r : results) {
            Envelope env = EventCodec.decode(r.value());
            if (EventType.HYBRID_EVALUATED.type().equals(env.type())) {
                HybridEvaluated c = EventCodec.payload(env, HybridEvaluated.class);
                assertTrue(cells.add(List.of(c.cut(), c.evalSet(), c.bnMode(), c.shallowStep(), c.deepStep())),
                        "each cell once: " + c);
                assertEquals(1000, c.samples());
                // its per-image predictions are in the store, beside the event, and count its accuracy
                HybridPredictions p = HybridPredictions.decode(store.read(RunArtifacts.hybridPredictions(runId,
                        c.cut(), c.evalSet(), c.bnMode(), c.shallowStep(), c.deepStep())));
                assertEquals(1000, p.size());
                assertEquals(c.metrics().get(HybridMetrics.ACCURACY), p.accuracy(), "predictions of " + c);
            } else if (EventType.HYBRID_PROGRESS.type().equals(env.type())) {
                progress.add(EventCodec.payload(env, GridProgress.class));
            }
        }
        assertEquals(CUTS.size() * 9, cells.size(), "every cell of the 3 x 3 grid at 3 cuts");
        GridProgress last = progress.get(progress.size() - 1);
        assertEquals(GridProgress.COMPLETE, last.status());
        assertEquals(CUTS.size() * 9, last.gridCellsComputed());
        assertEquals(CUTS.size() * 9, last.gridCellsExpected());
        assertEquals(3, last.checkpoints());
        assertTrue(progress.stream().anyMatch(p -> GridProgress.COMPUTING.equals(p.status())
                && p.stepCellsComputed() < p.stepCellsExpected()), "progress while a checkpoint is evaluated");
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void hostileRecordsAreDeadLetteredWithTheReasonAndTheNextGoodRecordIsProcessed() throws Exception {
        String runId = "it-hostile-" + UUID.randomUUID().toString().substring(0, 8);
        LocalArtifactStore store = new LocalArtifactStore(Path.of(artifactsDir));
        List<byte[]> params = SeededCheckpoints.of(OnnxImportTest.SPEC, 1);
        String good = checkpoint(store, runId, 0, params.get(0), 40);
        CheckpointCreated c = EventCodec.payload(EventCodec.decode(good), CheckpointCreated.class);
        ArtifactRef directory = new ArtifactRef(LocalArtifactStore.SCHEME + "runs", 10, "0".repeat(64),
                Checkpoints.MEDIA_TYPE);
        send(Topics.CHECKPOINTS, runId, TRAINER.encode(runId, new CheckpointCreated(runId, 0, 0, c.config(),
                c.network(), directory, 1, 0.5)));
        send(Topics.CHECKPOINTS, runId, TRAINER.encode(runId, new RunStarted(runId, c.config(), List.of(0))));
        send(Topics.CHECKPOINTS, runId, "this is { not json");
        send(Topics.CHECKPOINTS, runId, TRAINER.encode(runId, new CheckpointCreated("../" + runId, 0, 0, c.config(),
                c.network(), c.parameters(), 1, 0.5)));
        send(Topics.CHECKPOINTS, runId, good);

        List<ConsumerRecord<String, String>> dead = await(Topics.DEAD_LETTERS, r -> runId.equals(r.key()), 4,
                r -> runId.equals(r.key()));
        assertTrue(reason(dead.get(0)).contains("artifact:runs is not a file"), reason(dead.get(0)));
        assertTrue(reason(dead.get(1)).contains("belongs on " + Topics.RUN_EVENTS), reason(dead.get(1)));
        assertTrue(reason(dead.get(2)).contains("not a JSON CloudEvent"), reason(dead.get(2)));
        assertEquals("this is { not json", dead.get(2).value());
        assertTrue(reason(dead.get(3)).contains("invalid run id"), reason(dead.get(3)));
        for (ConsumerRecord<String, String> d : dead) {
            assertEquals("splicer-service", header(d, DeadLetters.SERVICE_HEADER));
            assertEquals(Topics.CHECKPOINTS, header(d, DeadLetters.SOURCE_TOPIC_HEADER));
        }

        List<ConsumerRecord<String, String>> results = await(Topics.HYBRID_RESULTS,
                r -> runId.equals(r.key()) && isFinal(r, GridProgress.WAITING), 1, r -> runId.equals(r.key()));
        long cells = results.stream().filter(r -> EventType.HYBRID_EVALUATED.type()
                .equals(EventCodec.decode(r.value()).type())).count();
        assertEquals(CUTS.size(), cells, "the good checkpoint's diagonal at every cut");
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void crossRunHybridsTakeTheApiTokenWhenOneIsConfigured() throws Exception {
        String runA = "it-cross-a-" + UUID.randomUUID().toString().substring(0, 8);
        String runB = "it-cross-b-" + UUID.randomUUID().toString().substring(0, 8);
        LocalArtifactStore store = new LocalArtifactStore(Path.of(artifactsDir));
        List<byte[]> params = SeededCheckpoints.of(OnnxImportTest.SPEC, 2);
        checkpoint(store, runA, 0, params.get(0), 40);
        checkpoint(store, runB, 0, params.get(1), 40);
        String body = "{\"runA\":\"" + runA + "\",\"stepA\":0,\"runB\":\"" + runB + "\",\"stepB\":0}";

        given().contentType("application/json").body(body).when().post("/api/cross-hybrids").then()
                .statusCode(401).header("WWW-Authenticate", "Bearer");
        given().contentType("application/json").header("Authorization", "Bearer not-" + KafkaBrokerResource.API_TOKEN)
                .body(body).when().post("/api/cross-hybrids").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer " + KafkaBrokerResource.API_TOKEN)
                .body(body).when().post("/api/cross-hybrids").then().statusCode(200)
                // both orders (and each checkpoint's own diagonal) at every cut
                .body("findAll { it.shallowRun != it.deepRun }.size()", equalTo(2 * CUTS.size()))
                .body("findAll { it.shallowRun == '" + runA + "' && it.deepRun == '" + runB + "' }.size()",
                        equalTo(CUTS.size()));
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static boolean isFinal(ConsumerRecord<String, String> r, String status) {
        Envelope env = EventCodec.decode(r.value());
        return EventType.HYBRID_PROGRESS.type().equals(env.type())
                && status.equals(EventCodec.payload(env, GridProgress.class).status());
    }

    private static String reason(ConsumerRecord<String, String> r) {
        Header h = r.headers().lastHeader(DeadLetters.REASON_HEADER);
        return h == null ? "<no reason header>" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Sends one record and waits for the broker's ack (a producer per record: an IT sends a handful). */
    private void send(String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = StringClients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /**
     * Reads a topic from the start until {@code count} records match {@code until}; returns every record that
     * matches {@code keep} up to then. Fails after {@link #TIMEOUT}.
     */
    private List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> until,
            int count, Predicate<ConsumerRecord<String, String>> keep) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        int matched = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<String, String> consumer = StringClients.consumer(bootstrap, "it-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (keep.test(r)) {
                        out.add(r);
                    }
                    if (until.test(r) && ++matched >= count) {
                        return out;
                    }
                }
            }
        }
        throw new AssertionError("timed out on " + topic + " with " + out.size() + " records: " + out);
    }
}
