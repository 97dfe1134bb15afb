package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static io.splicelab.gateway.ItSupport.requestRun;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.consumeUntil;
import static io.splicelab.gateway.ItSupport.openStream;
import static io.splicelab.gateway.ItSupport.publish;
import static io.splicelab.gateway.ItSupport.send;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Topics;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a real Kafka broker and the real PostgreSQL: commands out, events in, read model,
 * hybrid grid, dead letters and the live stream.
 */
@QuarkusTest
// one broker and one gateway for every integration test class of the module (not restricted: no restart between them)
@QuarkusTestResource(KafkaBrokerResource.class)
class GatewayIT {
    private static final EventCodec TRAINER = new EventCodec("/trainer-service");
    private static final EventCodec SPLICER = new EventCodec("/splicer-service");
    private static final RunConfig CONFIG = new RunConfig(null, null, null, 100, null, null, null, 50, null, null,
            null).withDefaults();


    @TestHTTPResource("/")
    URL base;


    @Test
    void readinessIsUpWithKafkaAndTheDatabase() {
        await(() -> given().get("/q/health/ready").statusCode() == 200, "gateway ready");
        given().get("/q/health/ready").then().body("status", equalTo("UP"));
    }

    @Test
    void requestingARunAnswers202AndSendsTheCommandKeyedByRunId() {
        Response response = given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON).body("{\"steps\":100,\"checkpointInterval\":50}")
                .post("/api/runs");
        response.then().statusCode(202)
                .header("Location", matchesPattern("/api/runs/run-[0-9a-f]{12}"))
                .body("status", equalTo("REQUESTED"))
                .body("config.steps", equalTo(100))
                .body("config.architecture", equalTo("resnet20"));
        String runId = response.jsonPath().getString("runId");
        assertEquals("/api/runs/" + runId, response.header("Location"));

        ConsumerRecord<String, String> command = consumeUntil(Topics.RUN_COMMANDS, r -> runId.equals(r.key()));
        Envelope envelope = EventCodec.decode(command.value());
        assertEquals("io.splicelab.run.requested", envelope.type());
        assertEquals(runId, envelope.subject());
        assertEquals("/gateway", envelope.source());

        given().get("/api/runs/" + runId).then().statusCode(200).body("status", equalTo("REQUESTED"))
                .body("totalSteps", equalTo(100)).body("cells", equalTo(0))
                .body("config.evalSubset", equalTo("stratified"))
                .body("evalSubset", equalTo("stratified size=500 seed=1"))
                // the default evaluation plan is recorded: what the splicer evaluates
                .body("config.evalSets", contains("test", "train", "gaussian_noise-3", "fog-3", "contrast-3"))
                .body("config.bnModes", contains("carry")).body("config.cuts", contains("stem", "stage1", "stage2"));
        // a plan of its own travels to the trainer (and on to the splicer) as given
        String planned = given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"steps\":100,\"checkpointInterval\":50,\"labelNoise\":1,\"evalSets\":[\"train\",\"fog-5\"],"
                        + "\"bnModes\":[\"carry\",\"recalibrate\"],\"cuts\":[\"s1b2\"]}")
                .post("/api/runs").then().statusCode(202)
                .body("config.evalSets", contains("train", "train-noisy", "fog-5")).extract().path("runId");
        io.splicelab.model.events.RunConfig plannedConfig = EventCodec.payload(EventCodec.decode(consumeUntil(
                Topics.RUN_COMMANDS, r -> planned.equals(r.key())).value()),
                io.splicelab.model.events.Payloads.RunRequested.class).config();
        assertEquals(List.of("carry", "recalibrate"), plannedConfig.bnModes());
        assertEquals(List.of("s1b2"), plannedConfig.cuts());
        given().get("/api/runs").then().statusCode(200).body("runId", org.hamcrest.Matchers.hasItem(runId));

        // a run on named test images: the run view says which
        String first = given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"steps\":100,\"checkpointInterval\":50,\"evalSubset\":\"first\",\"evalSize\":200}")
                .post("/api/runs").then().statusCode(202).body("config.evalSubset", equalTo("first"))
                .extract().path("runId");
        given().get("/api/runs/" + first).then().statusCode(200).body("evalSubset", equalTo("first size=200"));
        String listed = given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"steps\":100,\"checkpointInterval\":50,\"evalIndices\":[3,17,42,0,1,2,4,5,6,7]}")
                .post("/api/runs").then().statusCode(202).body("config.evalSubset", equalTo("indices"))
                .body("config.evalSize", equalTo(10)).body("config.evalIndices[0]", equalTo(3))
                .extract().path("runId");
        ConsumerRecord<String, String> listedCommand = consumeUntil(Topics.RUN_COMMANDS, r -> listed.equals(r.key()));
        assertEquals(List.of(3, 17, 42, 0, 1, 2, 4, 5, 6, 7), EventCodec.payload(EventCodec.decode(
                listedCommand.value()), io.splicelab.model.events.Payloads.RunRequested.class).config().evalIndices());
        given().get("/api/runs/" + listed).then().statusCode(200).body("evalSubset", equalTo("indices size=10 sha256="
                + io.splicelab.model.values.EvalSubset.fingerprint(List.of(3, 17, 42, 0, 1, 2, 4, 5, 6, 7))));
    }

    @Test
    void invalidConfigurationIsAProblemNamingTheField() {
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON).body("{\"steps\":0}").post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://splicelab.io/problems/invalid-run-config"))
                .body("title", equalTo("Invalid run configuration"))
                .body("status", equalTo(400))
                .body("errors.field", contains("steps"));
        // bounds checked in constant time: these looped the validation out of memory before (500 after 16 s)
        for (String huge : List.of("{\"steps\":2147483647}", "{\"steps\":10000000,\"checkpointInterval\":1}")) {
            long t0 = System.nanoTime();
            given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON).body(huge).post("/api/runs")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(huge.contains("Interval") ? "checkpointInterval" : "steps"));
            System.out.printf("%s answered 400 in %d ms%n", huge, (System.nanoTime() - t0) / 1_000_000);
        }
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON).body("{\"stepz\":10}").post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("stepz"));
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON).body("{\"steps\":").post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json");
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON).body("{\"steps\":\"many\"}").post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("steps"));
        // the evaluation subset: its indices in the test split, distinct, a bounded list checked before it is walked
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"evalIndices\":[0,1,2,3,4,5,6,7,8,2000]}").post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("evalIndices"));
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"evalSubset\":\"last\"}").post("/api/runs").then().statusCode(400)
                .body("errors.field", contains("evalSubset"));
        // the evaluation plan: each list names its field and the value
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"evalSets\":[\"test\",\"train-noisy\"],\"bnModes\":[\"carry\",\"carry\"],"
                        + "\"cuts\":[\"conv1\"]}").post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("evalSets", "bnModes", "cuts"))
                .body("errors[0].message", containsString("labelNoise"))
                .body("errors[1].message", containsString("'carry' twice"))
                .body("errors[2].message", containsString("'conv1' is not a cut of resnet20"));
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"evalSets\":[]}").post("/api/runs").then().statusCode(400)
                .body("errors.field", contains("evalSets"));
        String zeros = String.join(",", java.util.Collections.nCopies(30_000, "0"));
        given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"evalIndices\":[" + zeros + "],\"evalSize\":30000}").post("/api/runs").then().statusCode(400)
                .body("errors.field", contains("evalIndices"))
                .body("errors[0].message", equalTo("must list between 10 and 26032 indices"));
    }

    @Test
    void unknownRunIsA404Problem() {
        given().get("/api/runs/run-nope").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().get("/api/runs/run-nope/hybrids").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/runs/run-nope/events").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void resultEventsBuildTheReadModelAndRedeliveryNeverDuplicatesACell() {
        String runId = "run-ext-" + UUID.randomUUID().toString().substring(0, 8);
        requestRun(runId);
        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunProgress(runId, 40, 100, 1.2, 0.55, 0.05, 380)));
        for (int i = 0; i < 3; i++) {
            send(Topics.CHECKPOINTS, runId, TRAINER.encode(runId, checkpoint(runId, i * 50, i)));
        }
        String duplicated = SPLICER.encode(runId, cell(runId, "stem", 0, 50, 0.81));
        send(Topics.HYBRID_RESULTS, runId, duplicated);
        send(Topics.HYBRID_RESULTS, runId, SPLICER.encode(runId, cell(runId, "stage1", 0, 100, 0.7)));
        send(Topics.HYBRID_RESULTS, runId, SPLICER.encode(runId, cell(runId, "stem", 50, 0, 0.6)));
        send(Topics.HYBRID_RESULTS, runId, duplicated); // the same record delivered again
        // the same cell again under a new envelope id (a re-evaluation): an update, not a new cell
        send(Topics.HYBRID_RESULTS, runId, SPLICER.encode(runId, cell(runId, "stem", 0, 50, 0.82)));
        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunProgress(runId, 90, 100, 0.9, 0.7, 0.05, 390)));

        await(() -> {
            Response r = given().get("/api/runs/" + runId);
            return r.statusCode() == 200 && r.jsonPath().getInt("checkpoints.size()") == 3
                    && r.jsonPath().getInt("step") == 90 && r.jsonPath().getInt("cells") == 3
                    && given().get("/api/runs/" + runId + "/hybrids").jsonPath()
                            .getFloat("cells[0].metrics.accuracy") == 0.82f;
        }, "run folded from its events");
        given().get("/api/runs/" + runId).then().body("status", equalTo("RUNNING"))
                .body("config.steps", equalTo(100)).body("totalSteps", equalTo(100))
                .body("checkpoints.step", contains(0, 50, 100)).body("checkpoints[1].index", equalTo(1))
                .body("checkpoints[1].trainBatchAccuracy", equalTo(0.5f))
                .body("imagesPerSecond", equalTo(390.0f)).body("failure", equalTo(null))
                .body("evalSubset", equalTo("stratified size=500 seed=1"));
        org.hamcrest.MatcherAssert.assertThat(given().accept("text/csv").get("/api/runs/" + runId + "/hybrids")
                .then().statusCode(200).extract().asString(), org.hamcrest.Matchers.containsString(
                        ",500,stratified size=500 seed=1,"));

        given().get("/api/runs/" + runId + "/hybrids").then().statusCode(200)
                .body("runId", equalTo(runId))
                .body("checkpoints", contains(0, 50, 100))
                .body("cuts", contains("stem", "stage1"))
                .body("cells", hasSize(3))
                .body("cells[0].cut", equalTo("stem")).body("cells[0].shallowStep", equalTo(0))
                .body("cells[0].deepStep", equalTo(50)).body("cells[0].metrics.accuracy", equalTo(0.82f))
                .body("cells[0].evalSet", equalTo("test")).body("cells[0].bnMode", equalTo("carry"))
                .body("cells[0].precision", equalTo("float32")).body("cells[0].samples", equalTo(500))
                .body("cells[0].evalSubset", equalTo("stratified size=500 seed=1"))
                .body("cells[1].shallowStep", equalTo(50))
                .body("cells[2].cut", equalTo("stage1"));
        given().queryParam("cut", "stage1").queryParam("metric", "accuracy").get("/api/runs/" + runId + "/hybrids")
                .then().statusCode(200).body("cells", hasSize(1))
                .body("cells[0].metrics.size()", equalTo(1)).body("cells[0].metrics.accuracy", equalTo(0.7f));
        given().queryParam("cut", "stage9").get("/api/runs/" + runId + "/hybrids").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("cut"));
        given().queryParam("metric", "f1").get("/api/runs/" + runId + "/hybrids").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("metric"));

        // a stats result computed twice (e.g. after a restart of the stats service) stays one result
        EventCodec stats = new EventCodec("/stats-service");
        for (double p : new double[] {0.04, 0.03}) {
            send(Topics.STATS_RESULTS, runId, stats.encode(runId, new StatsComputed(runId, "anisotropy", "stage1",
                    "probe", List.of(0, 50), "scalar", Map.of("test", "bartlett"), Map.of("pValue", p))));
        }
        await(() -> given().get("/api/runs/" + runId + "/stats").jsonPath().getFloat("results[0].values.pValue")
                == 0.03f, "stats result upserted");
        given().get("/api/runs/" + runId + "/stats").then().body("results", hasSize(1))
                .body("results[0].steps", contains(0, 50)).body("results[0].analysis", equalTo("anisotropy"));

        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunCompleted(runId, 100, 3, 0.75)));
        await(() -> "COMPLETED".equals(given().get("/api/runs/" + runId).jsonPath().getString("status")),
                "run completed");
    }

    @Test
    void lateStreamClientGetsTheReplayThenLiveEvents() throws Exception {
        String runId = "run-sse-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> earlier = new ArrayList<>();
        earlier.add(requestRun(runId));
        earlier.add(publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps()))));
        earlier.add(publish(TRAINER.wrap(runId, checkpoint(runId, 0, 0))));
        earlier.add(publish(TRAINER.wrap(runId, checkpoint(runId, 50, 1))));
        earlier.add(publish(SPLICER.wrap(runId, cell(runId, "stem", 0, 50, 0.8))));
        await(() -> given().get("/api/runs/" + runId).statusCode() == 200
                && given().get("/api/runs/" + runId).jsonPath().getInt("cells") == 1, "replayable events stored");

        ItSupport.SseClient runStream = openStream(base.toURI(), "/api/runs/" + runId + "/events");
        ItSupport.SseClient allStream = openStream(base.toURI(), "/api/events");
        try {
            List<String> replayed = new ArrayList<>();
            for (int i = 0; i < earlier.size(); i++) {
                ItSupport.SseEvent e = runStream.next();
                replayed.add(e.id());
                Envelope envelope = EventCodec.decode(e.data());
                assertEquals(e.id(), envelope.id());
                assertEquals(e.event(), envelope.type());
            }
            // Kafka orders a run's events within a topic, not across topics: the replay is in the order the
            // gateway applied them, so the checkpoints (one topic) keep their order, the rest may interleave
            assertEquals(new java.util.HashSet<>(earlier), new java.util.HashSet<>(replayed));
            assertTrue(replayed.indexOf(earlier.get(1)) < replayed.indexOf(earlier.get(2)), replayed.toString());

            Envelope live = SPLICER.wrap(runId, cell(runId, "stage1", 0, 50, 0.7));
            publish(live);
            Envelope done = TRAINER.wrap(runId, new RunCompleted(runId, 100, 3, 0.75));
            publish(done);
            // two topics, so either may come first
            Map<String, String> liveTypes = new java.util.HashMap<>();
            for (int i = 0; i < 2; i++) {
                ItSupport.SseEvent e = runStream.next();
                assertEquals(e.id(), EventCodec.decode(e.data()).id());
                liveTypes.put(e.id(), e.event());
            }
            assertEquals(Map.of(live.id(), "io.splicelab.hybrid.evaluated", done.id(), "io.splicelab.run.completed"),
                    liveTypes);

            // the all-runs stream is live only: it sees the two new events (and maybe others' events)
            List<String> seen = new ArrayList<>();
            while (!seen.contains(done.id()) || !seen.contains(live.id())) {
                seen.add(allStream.next().id());
            }
            assertTrue(seen.stream().noneMatch(earlier::contains), seen.toString());
        } finally {
            runStream.close();
            allStream.close();
        }
    }


    @Test
    void undecodableRecordIsDeadLetteredAndTheGatewayKeepsGoing() {
        String key = "garbage-" + UUID.randomUUID();
        send(Topics.RUN_EVENTS, key, "this is not a cloud event");
        ConsumerRecord<String, String> dead = consumeUntil(Topics.DEAD_LETTERS, r -> key.equals(r.key()));
        assertEquals("this is not a cloud event", dead.value());
        Header reason = dead.headers().lastHeader("splicelab-reason");
        assertNotNull(reason, "reason header");
        assertTrue(new String(reason.value(), StandardCharsets.UTF_8).startsWith("not a JSON CloudEvent"));

        String runId = "run-after-" + UUID.randomUUID().toString().substring(0, 8);
        requestRun(runId);
        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
        await(() -> "RUNNING".equals(given().get("/api/runs/" + runId).path("status")), "later event applied");
    }

    @Test
    void aRecordTheReadModelRejectsIsDeadLetteredAndItsNeighboursAreStillApplied() {
        // sent back to back so that they usually arrive in one polled batch: the batch's transaction fails
        // on the bad record, and the records around it must still be applied, each exactly once
        String runId = "run-batch-" + UUID.randomUUID().toString().substring(0, 8);
        requestRun(runId);
        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
        send(Topics.HYBRID_RESULTS, runId, SPLICER.encode(runId, cell(runId, "stem", 0, 50, 0.61)));
        send(Topics.HYBRID_RESULTS, runId, SPLICER.encode(runId, new HybridEvaluated(runId, null, "test", "carry",
                "float32", 50, 0, 500, Map.of("accuracy", 0.5))));
        send(Topics.HYBRID_RESULTS, runId, SPLICER.encode(runId, cell(runId, "stem", 50, 0, 0.62)));
        send(Topics.RUN_EVENTS, runId, TRAINER.encode(runId, new RunProgress(runId, 30, 100, 1.1, 0.6, 0.05, 300)));

        ConsumerRecord<String, String> dead = consumeUntil(Topics.DEAD_LETTERS, r -> runId.equals(r.key()));
        Header reason = dead.headers().lastHeader("splicelab-reason");
        assertTrue(new String(reason.value(), StandardCharsets.UTF_8).contains("without cut"),
                new String(reason.value(), StandardCharsets.UTF_8));
        await(() -> {
            Response r = given().get("/api/runs/" + runId);
            return r.statusCode() == 200 && r.jsonPath().getInt("step") == 30 && r.jsonPath().getInt("cells") == 2;
        }, "the good records of the batch applied");
        given().get("/api/runs/" + runId + "/hybrids").then().statusCode(200).body("cells", hasSize(2));
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", org.hamcrest.Matchers.hasKey(
                "/api/runs"))
                .body("components.schemas.RunConfig.properties", org.hamcrest.Matchers.hasKey("evalSubset"))
                .body("components.schemas.RunConfig.properties.evalSets.type", equalTo("array"))
                .body("components.schemas.RunConfig.properties.evalSets.maxItems", equalTo(128))
                .body("components.schemas.RunConfig.properties", org.hamcrest.Matchers.hasKey("bnModes"))
                .body("components.schemas.RunConfig.properties", org.hamcrest.Matchers.hasKey("cuts"))
                .body("components.schemas.RunConfig.properties.evalIndices.maxItems", equalTo(26032))
                .body("components.schemas.RunDetail.properties", org.hamcrest.Matchers.hasKey("evalSubset"));
        org.hamcrest.MatcherAssert.assertThat(given().get("/q/openapi?format=json").asString(),
                org.hamcrest.Matchers.containsString("with evalSubset=indices: 10 to 26032 distinct indices"));
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(startsWith("text/html"));
    }

    // ---- helpers ----

    private static CheckpointCreated checkpoint(String runId, int step, int index) {
        return ItSupport.checkpoint(runId, step, index);
    }

    private static HybridEvaluated cell(String runId, String cut, int shallow, int deep, double accuracy) {
        return new HybridEvaluated(runId, cut, "test", "carry", "float32", shallow, deep, 500,
                Map.of("accuracy", accuracy, "agreementDeep", 0.9, "agreementShallow", 0.7, "relativeAccuracy", 0.95),
                "stratified size=500 seed=1");
    }
}
