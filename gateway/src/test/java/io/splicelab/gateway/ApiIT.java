package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.requestRun;
import static io.splicelab.gateway.ItSupport.CONFIG;
import static io.splicelab.gateway.ItSupport.SPLICER;
import static io.splicelab.gateway.ItSupport.STATS;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.authed;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.awaitRun;
import static io.splicelab.gateway.ItSupport.cell;
import static io.splicelab.gateway.ItSupport.checkpoint;
import static io.splicelab.gateway.ItSupport.consumeUntil;
import static io.splicelab.gateway.ItSupport.newRunId;
import static io.splicelab.gateway.ItSupport.startedRun;
import static io.splicelab.gateway.ItSupport.publish;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.gateway.readmodel.RunRows;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunDeleted;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.HybridPredictions;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The public API beyond the basics: token, cancel, delete, groups, paging, CSV, summaries, progress, per-image
 * predictions.
 */
@QuarkusTest
class ApiIT {

    @Test
    void mutatingRequestsNeedTheToken() {
        given().contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://splicelab.io/problems/unauthorized"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body("{}").post("/api/runs")
                .then().statusCode(401);
        given().post("/api/admin/read-model/rebuild").then().statusCode(401);
        given().delete("/api/runs/run-nope").then().statusCode(401);
        // the bearer form works as well as X-Api-Token; reading needs no token
        given().header("Authorization", "Bearer " + ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"steps\":10,\"checkpointInterval\":5}").post("/api/runs").then().statusCode(202);
        given().get("/api/runs").then().statusCode(200);
        // and the OpenAPI document says so
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.apiToken.type", equalTo("apiKey"))
                .body("components.securitySchemes.apiToken.name", equalTo("X-Api-Token"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/admin/read-model/rebuild"));
    }

    @Test
    void cancelPublishesACommandKeyedByRunIdAndTheRunBecomesCancelled() {
        String runId = authed().contentType(ContentType.JSON).body("{\"steps\":100,\"checkpointInterval\":50}")
                .post("/api/runs").then().statusCode(202).extract().path("runId");
        authed().queryParam("reason", "enough").post("/api/runs/" + runId + "/cancel").then().statusCode(202)
                .body("status", equalTo("CANCEL_REQUESTED"));
        ConsumerRecord<String, String> command = ItSupport.consumeUntil(Topics.RUN_COMMANDS,
                r -> runId.equals(r.key()) && r.value().contains("cancel-requested"));
        Envelope envelope = EventCodec.decode(command.value());
        RunCancelRequested payload = EventCodec.payload(envelope, RunCancelRequested.class);
        assertEquals(runId, payload.runId());
        assertEquals("enough", payload.reason());

        publish(TRAINER.wrap(runId, new RunCancelled(runId, 40)));
        await(() -> "CANCELLED".equals(given().get("/api/runs/" + runId).path("status")), "run cancelled");
        authed().post("/api/runs/" + runId + "/cancel").then().statusCode(409).contentType("application/problem+json");
        authed().post("/api/runs/run-nope/cancel").then().statusCode(404);
    }

    @Test
    void deleteRemovesTheRunAndItsArtifactsAndIgnoresItsLaterEvents() throws Exception {
        String runId = startedRun("del");
        publish(TRAINER.wrap(runId, checkpoint(runId, 0, 0)));
        awaitRun(runId);
        Path artifacts = Path.of("target/test-artifacts/runs/" + runId + "/checkpoints");
        assertTrue(Files.exists(artifacts.resolve("step-0.params")), "the checkpoint's parameters are in the store");
        Path other = Path.of("target/test-artifacts/runs/run-keep/x.bin");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "other run");

        assertTrue(rowsOf(runId) > 0, "the run has rows in the read model");
        authed().delete("/api/runs/" + runId).then().statusCode(204);
        given().get("/api/runs/" + runId).then().statusCode(404);
        assertEquals(0, rowsOf(runId), "no row of the deleted run is left in any run-scoped table");
        assertFalse(Files.exists(Path.of("target/test-artifacts/runs/" + runId)), "artifacts deleted");
        assertTrue(Files.exists(other), "another run's artifacts stay");
        // every other consumer learns of it: the deletion marker stays in the store, run.deleted is on run-events
        assertTrue(Files.exists(Path.of("target/test-artifacts/deleted-runs/" + runId + ".json")), "deletion marker");
        ConsumerRecord<String, String> deleted = consumeUntil(Topics.RUN_EVENTS, r -> runId.equals(r.key())
                && r.value().contains(EventType.RUN_DELETED.type()));
        assertEquals(new RunDeleted(runId), EventCodec.payload(EventCodec.decode(deleted.value()), RunDeleted.class));
        assertEquals(EventCodec.STRUCTURED_CONTENT_TYPE, new String(deleted.headers()
                .lastHeader(EventCodec.CONTENT_TYPE_HEADER).value(), java.nio.charset.StandardCharsets.UTF_8));
        // the run's events stay in Kafka; one arriving later does not bring the run back
        publish(TRAINER.wrap(runId, new RunProgress(runId, 10, 100, 1.0, 0.5, 0.05, 100)));
        String marker = startedRun("after-del");
        ItSupport.await(() -> "RUNNING".equals(given().get("/api/runs/" + marker).path("status")), "marker applied");
        given().get("/api/runs/" + runId).then().statusCode(404);
        authed().delete("/api/runs/" + runId).then().statusCode(404);
    }

    /** The run's rows in every run-scoped table of the read model. */
    private static long rowsOf(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long rows = 0;
            for (Class<?> entity : RunRows.ENTITIES) {
                rows += Panache.getEntityManager().createQuery("select count(*) from " + entity.getSimpleName()
                        + " where runId = :runId", Long.class).setParameter("runId", runId).getSingleResult();
            }
            return rows;
        });
    }

    @Test
    void aGroupLaunchesOneRunPerValueAndListsThem() {
        Response accepted = authed().contentType(ContentType.JSON)
                .body("{\"name\":\"seeds\",\"factor\":\"seed\",\"values\":[1,2,3],\"config\":{\"steps\":60,"
                        + "\"checkpointInterval\":20}}")
                .post("/api/groups");
        accepted.then().statusCode(202).body("runs", hasSize(3)).body("factor", equalTo("seed"))
                .header("Location", startsWith("/api/groups/grp-"));
        String groupId = accepted.path("groupId");
        List<String> runIds = accepted.path("runs.runId");

        given().get("/api/groups/" + groupId).then().statusCode(200).body("name", equalTo("seeds"))
                .body("runs.value", contains(1, 2, 3)).body("runs.run.runId", contains(runIds.toArray()))
                .body("runs.run.config.seed", contains(1, 2, 3)).body("runs.run.config.steps", everyItem(equalTo(60)))
                .body("runs.run.groupId", everyItem(equalTo(groupId)));
        given().get("/api/groups").then().statusCode(200).body("groupId", hasItem(groupId));
        given().queryParam("group", groupId).get("/api/runs").then().statusCode(200).header("X-Total-Count", "3")
                .body("runId", hasSize(3));
        for (String runId : runIds) {
            ItSupport.consumeUntil(Topics.RUN_COMMANDS, r -> runId.equals(r.key()));
        }

        // one bad value: nothing starts, the problem names the value
        authed().contentType(ContentType.JSON).body("{\"factor\":\"steps\",\"values\":[10,0]}").post("/api/groups")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field",
                        equalTo("values[1]"));
        authed().contentType(ContentType.JSON).body("{\"factor\":\"colour\",\"values\":[1]}").post("/api/groups")
                .then().statusCode(400).body("errors[0].field", equalTo("factor"));
        given().get("/api/groups/grp-nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theRunListFiltersAndPages() {
        String a = newRunId("page");
        String b = newRunId("page");
        requestRun(a);
        publish(TRAINER.wrap(a, new RunStarted(a, CONFIG, CONFIG.checkpointSteps())));
        requestRun(b);
        publish(TRAINER.wrap(b, new RunStarted(b, CONFIG, CONFIG.checkpointSteps())));
        publish(TRAINER.wrap(b, new RunCompleted(b, 100, 3, 0.8)));
        await(() -> "COMPLETED".equals(given().get("/api/runs/" + b).path("status")), "b completed");
        awaitRun(a);

        given().queryParam("status", "completed").get("/api/runs").then().statusCode(200)
                .body("runId", hasItem(b)).body("runId", not(hasItem(a))).body("status", everyItem(equalTo("COMPLETED")));
        Response first = given().queryParam("size", 1).get("/api/runs");
        first.then().statusCode(200).body("$", hasSize(1)).header("Link", containsString("rel=\"next\""));
        long total = Long.parseLong(first.header("X-Total-Count"));
        assertTrue(total >= 2);
        given().queryParam("size", 1).queryParam("page", 1).get("/api/runs").then().statusCode(200)
                .header("Link", containsString("rel=\"prev\""));
        given().queryParam("status", "sleeping").get("/api/runs").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        given().queryParam("size", 0).get("/api/runs").then().statusCode(400).body("errors[0].field", equalTo("size"));
        // the page's bounds are Bean Validation constraints: still a problem naming the parameter
        given().queryParam("size", 501).get("/api/runs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://splicelab.io/problems/invalid-parameter"))
                .body("errors[0].field", equalTo("size")).body("detail", equalTo("size: must be between 1 and 500"));
        given().queryParam("page", -1).get("/api/runs").then().statusCode(400).body("errors[0].field", equalTo("page"));
    }

    @Test
    void gridAsCsvSummariesProgressCheckpointsAndPluggedInStats() {
        String runId = startedRun("csv");
        publish(TRAINER.wrap(runId, new RunProgress(runId, 10, 100, 2.0, 0.2, 0.05, 100)));
        publish(TRAINER.wrap(runId, new RunProgress(runId, 20, 100, 1.5, 0.4, 0.05, 100, 2)));
        publish(TRAINER.wrap(runId, checkpoint(runId, 0, 0)));
        publish(TRAINER.wrap(runId, checkpoint(runId, 50, 1)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "test", 0, 50, 0.7)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "corrupt:fog,light:3", 0, 50, 0.5)));
        publish(SPLICER.wrap(runId, new TcSummaryComputed(runId, "stem", "test", "carry", List.of(0, 50),
                Map.of("50", 0.93), 0.93, null, 0.9)));
        publish(STATS.wrap(runId, new StatsComputed(runId, "my-new-analysis", "stem", "probe", List.of(50), "series",
                Map.of(), Map.of("x", List.of(1, 2, 3), "y", List.of(0.1, 0.2, 0.3)))));
        await(() -> given().get("/api/runs/" + runId).path("cells").equals(2)
                && given().get("/api/runs/" + runId + "/summaries").path("summaries.size()").equals(1)
                && given().get("/api/runs/" + runId + "/progress").path("size()").equals(2)
                && given().get("/api/runs/" + runId + "/stats").path("results.size()").equals(1), "all applied");

        String csv = given().queryParam("format", "csv").get("/api/runs/" + runId + "/hybrids").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("runId,cut,evalSet,bnMode,precision,shallowStep,deepStep,samples,evalSubset,accuracy,"
                + "agreementDeep,relativeAccuracy", lines.get(0));
        assertEquals(3, lines.size(), csv);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(runId + ",stem,\"corrupt:fog,light:3\",carry")), csv);
        given().accept("text/csv").queryParam("evalSet", "test").queryParam("metric", "accuracy")
                .get("/api/runs/" + runId + "/hybrids").then().statusCode(200).contentType(startsWith("text/csv"))
                .body(equalTo("runId,cut,evalSet,bnMode,precision,shallowStep,deepStep,samples,evalSubset,accuracy\n"
                        + runId + ",stem,test,carry,float32,0,50,500,,0.7\n"));
        given().accept("application/json").get("/api/runs/" + runId + "/hybrids").then().statusCode(200)
                .body("cells", hasSize(2));
        given().queryParam("format", "xml").get("/api/runs/" + runId + "/hybrids").then().statusCode(400);

        given().get("/api/runs/" + runId + "/summaries").then().body("summaries[0].cut", equalTo("stem"))
                .body("summaries[0].tcScore", equalTo(0.93f)).body("summaries[0].curve.50", equalTo(0.93f))
                .body("summaries[0].steps", contains(0, 50));
        given().get("/api/runs/" + runId + "/progress").then().body("step", contains(10, 20))
                .body("loss", contains(2.0f, 1.5f)).body("recoveries", contains(0, 2));
        given().get("/api/runs/" + runId).then().body("recoveries", equalTo(2));
        assertTrue(given().queryParam("format", "csv").get("/api/runs/" + runId + "/progress").then().statusCode(200)
                .extract().asString().lines().findFirst().orElseThrow().endsWith(",recoveries"),
                "the progress CSV carries the count");
        given().get("/api/runs/" + runId + "/checkpoints").then().body("step", contains(0, 50));
        given().get("/api/runs/" + runId + "/stats").then().body("results[0].shape", equalTo("series"))
                .body("results[0].values.y", contains(0.1f, 0.2f, 0.3f))
                .body("results[0].source", equalTo("/stats-service"));

        // a plug-in that reuses the analysis name keeps its own result beside the first (the source is in the key),
        // and results per evaluation set and BatchNorm mode are apart too
        EventCodec plugin = new EventCodec("/plugins/other");
        publish(plugin.wrap(runId, new StatsComputed(runId, "my-new-analysis", "stem", "probe", List.of(50), "series",
                Map.of(), Map.of("x", List.of(1, 2), "y", Map.of("mine", List.of(0.5, 0.6))))));
        for (String mode : List.of("carry", "recalibrate")) {
            publish(plugin.wrap(runId, new StatsComputed(runId, "per-grid", "stem", null, "test", mode, List.of(),
                    "scalar", Map.of(), Map.of("value", mode.length()))));
        }
        await(() -> given().get("/api/runs/" + runId + "/stats").path("results.size()").equals(4), "both kept");
        given().get("/api/runs/" + runId + "/stats").then()
                .body("results.findAll { it.analysis == 'my-new-analysis' }.source",
                        containsInAnyOrder("/stats-service", "/plugins/other"))
                .body("results.findAll { it.analysis == 'per-grid' }.bnMode", containsInAnyOrder("carry", "recalibrate"))
                .body("results.findAll { it.analysis == 'per-grid' }.evalSet", contains("test", "test"));
    }

    /**
     * A cell's per-image predictions, from the file the splicer writes into the shared store (written here as the
     * splicer does: the contract's format at the key the cell's natural key gives), as JSON and as CSV; and deleted
     * with the run.
     */
    @Test
    void perImagePredictionsOfACellAsJsonAndCsvAndDeletedWithTheRun() throws Exception {
        String runId = startedRun("pred");
        awaitRun(runId);
        float[][] logits = new float[250][];
        int[] labels = new int[250];
        int[] splitIndex = new int[250];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = new float[] {i % 3, (i * 7) % 5, 1.5f};
            labels[i] = i % 3;
            splitIndex[i] = 9999 - 3 * i;
        }
        HybridPredictions p = HybridPredictions.of(logits, labels, splitIndex);
        LocalArtifactStore store = new LocalArtifactStore(Path.of(org.eclipse.microprofile.config.ConfigProvider
                .getConfig().getValue("splicelab.artifacts.dir", String.class)));
        String key = RunArtifacts.hybridPredictions(runId, "stage1", "test", "carry", 0, 50);
        store.replace(key, p.encode(), HybridPredictions.MEDIA_TYPE);
        String url = "/api/runs/" + runId + "/hybrids/predictions";

        Response json = given().accept(ContentType.JSON).queryParam("cut", "stage1").queryParam("evalSet", "test")
                .queryParam("bnMode", "carry").queryParam("shallow", 0).queryParam("deep", 50).get(url);
        json.then().statusCode(200).contentType(startsWith("application/json")).body("runId", equalTo(runId))
                .body("cut", equalTo("stage1")).body("shallowStep", equalTo(0)).body("deepStep", equalTo(50))
                .body("samples", equalTo(250)).body("predictions", hasSize(250));
        List<Map<String, Object>> rows = json.path("predictions");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(splitIndex[i], rows.get(i).get("splitIndex"), "row " + i);
            assertEquals(labels[i], rows.get(i).get("label"), "row " + i);
            assertEquals(p.predicted()[i], rows.get(i).get("predicted"), "row " + i);
            assertEquals(p.logitMargin()[i], ((Number) rows.get(i).get("logitMargin")).floatValue(), "row " + i);
        }

        String csv = given().queryParam("format", "csv").queryParam("cut", "stage1").queryParam("evalSet", "test")
                .queryParam("bnMode", "carry").queryParam("shallow", 0).queryParam("deep", 50).get(url).then()
                .statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString(runId + "-stage1-test-carry-0-50-predictions.csv"))
                .extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("splitIndex,label,predicted,logitMargin", lines.get(0));
        assertEquals(251, lines.size());
        assertEquals(splitIndex[7] + "," + labels[7] + "," + p.predicted()[7] + "," + p.logitMargin()[7],
                lines.get(8));
        given().accept("text/csv").queryParam("cut", "stage1").queryParam("evalSet", "test")
                .queryParam("bnMode", "carry").queryParam("shallow", 0).queryParam("deep", 50).get(url).then()
                .statusCode(200).contentType(startsWith("text/csv")).body(equalTo(csv));

        // a cell without predictions, an unknown run: 404; a missing or malformed parameter: 400 naming it
        given().queryParam("cut", "stage1").queryParam("evalSet", "test").queryParam("bnMode", "carry")
                .queryParam("shallow", 50).queryParam("deep", 0).get(url).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no per-image predictions"));
        given().queryParam("cut", "stage1").queryParam("evalSet", "test").queryParam("bnMode", "carry")
                .queryParam("shallow", 0).queryParam("deep", 50).get("/api/runs/run-nope/hybrids/predictions").then()
                .statusCode(404).contentType("application/problem+json");
        given().queryParam("cut", "stage1").queryParam("evalSet", "test").queryParam("bnMode", "carry")
                .queryParam("shallow", 0).get(url).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("deep"));
        given().queryParam("cut", "stage1").queryParam("evalSet", "test").queryParam("bnMode", "carry")
                .queryParam("shallow", -1).queryParam("deep", 50).get(url).then().statusCode(400)
                .body("errors[0].field", equalTo("shallow"));
        given().queryParam("cut", "stage1").queryParam("evalSet", "test").queryParam("bnMode", "sometimes")
                .queryParam("shallow", 0).queryParam("deep", 50).get(url).then().statusCode(400)
                .body("errors[0].field", equalTo("bnMode"));
        given().queryParam("cut", "../../..").queryParam("evalSet", "test").queryParam("bnMode", "carry")
                .queryParam("shallow", 0).queryParam("deep", 50).get(url).then().statusCode(404);

        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/runs/{id}/hybrids/predictions"));

        authed().delete("/api/runs/" + runId).then().statusCode(204);
        assertFalse(store.exists(key), "deleting the run deletes its predictions");
        given().queryParam("cut", "stage1").queryParam("evalSet", "test").queryParam("bnMode", "carry")
                .queryParam("shallow", 0).queryParam("deep", 50).get(url).then().statusCode(404);
    }
}
