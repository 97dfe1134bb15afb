package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.SPLICER;
import static io.splicelab.gateway.ItSupport.STATS;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.authed;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.awaitRun;
import static io.splicelab.gateway.ItSupport.cell;
import static io.splicelab.gateway.ItSupport.checkpoint;
import static io.splicelab.gateway.ItSupport.startedRun;
import static io.splicelab.gateway.ItSupport.publish;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.splicelab.gateway.readmodel.RunEntity;
import io.splicelab.gateway.runs.RunQueries;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Deleting the read model and replaying the topics restores exactly what the API answered before. */
@QuarkusTest
class RebuildIT {
    @Inject
    RunQueries queries;

    @Test
    void rebuildingFromTheTopicsRestoresTheSameAnswers() throws Exception {
        // a run that went all the way, one requested through the API, one deleted, and a group
        String full = startedRun("rebuild");
        for (int step = 10; step <= 100; step += 10) {
            publish(TRAINER.wrap(full, new RunProgress(full, step, 100, 2.0 / step, step / 110.0, 0.05, 300)));
        }
        for (int i = 0; i < 3; i++) {
            publish(TRAINER.wrap(full, checkpoint(full, i * 50, i)));
        }
        Envelope redelivered = SPLICER.wrap(full, cell(full, "stem", "test", 0, 50, 0.8));
        publish(redelivered);
        publish(redelivered);
        publish(SPLICER.wrap(full, cell(full, "stage1", "test", 50, 100, 0.7)));
        publish(SPLICER.wrap(full, cell(full, "stem", "corrupt:fog:2", 50, 50, 0.6)));
        publish(SPLICER.wrap(full, cell(full, "stem", "test", 0, 50, 0.81))); // re-evaluated: an update
        publish(SPLICER.wrap(full, new TcSummaryComputed(full, "stem", "test", "carry", List.of(0, 50, 100),
                Map.of("50", 0.9, "100", 0.8), 0.85, 100, 0.9)));
        publish(STATS.wrap(full, new StatsComputed(full, "class-overlap-tv", "stem", "probe", List.of(50), "scalar",
                Map.of("bandwidth", "scott"), Map.of("meanTv", 0.4, "classes", List.of(0, 1)))));
        publish(TRAINER.wrap(full, new RunCompleted(full, 100, 3, 0.9)));
        String requested = authed().contentType(ContentType.JSON).body("{\"steps\":40,\"checkpointInterval\":20}")
                .post("/api/runs").then().statusCode(202).extract().path("runId");
        String deleted = startedRun("rebuild-del");
        awaitRun(deleted);
        authed().delete("/api/runs/" + deleted).then().statusCode(204);
        String group = authed().contentType(ContentType.JSON).body("{\"factor\":\"seed\",\"values\":[7,8]}")
                .post("/api/groups").then().statusCode(202).extract().path("groupId");
        await(() -> "COMPLETED".equals(given().get("/api/runs/" + full).path("status"))
                && given().get("/api/runs/" + full).path("cells").equals(3)
                && given().get("/api/runs/" + full + "/progress").path("size()").equals(10)
                && given().get("/api/runs/" + full + "/summaries").path("summaries.size()").equals(1)
                && given().get("/api/runs/" + full + "/stats").path("results.size()").equals(1)
                && given().get("/api/runs").path("runId").toString().contains(requested), "everything applied");
        // the gateway also consumes its own commands; wait until the group's runs' commands came back
        awaitCommandsConsumed();

        Map<String, JsonNode> before = snapshot(group);
        Map<String, Set<String>> eventsBefore = storedEventIds();

        authed().post("/api/admin/read-model/rebuild").then().statusCode(200)
                .body("applied", greaterThan(20)).body("failed", org.hamcrest.Matchers.equalTo(0));

        Map<String, JsonNode> after = snapshot(group);
        assertEquals(before.keySet(), after.keySet());
        for (String key : before.keySet()) {
            assertEquals(before.get(key), after.get(key), key + " differs after the rebuild");
        }
        assertEquals(eventsBefore, storedEventIds(), "the replayable event log is restored");
        assertTrue(before.containsKey("/api/runs/" + full + "/hybrids"));
        given().get("/api/runs/" + deleted).then().statusCode(404); // a deletion survives the rebuild
    }

    /** Waits until the read model stops changing (the gateway's own commands are consumed back). */
    private static void awaitCommandsConsumed() throws InterruptedException {
        String last = "";
        for (int i = 0; i < 50; i++) {
            String now = given().queryParam("size", 500).get("/api/runs").asString();
            if (now.equals(last)) {
                return;
            }
            last = now;
            Thread.sleep(1000);
        }
    }

    private static Map<String, JsonNode> snapshot(String group) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode runs = read("/api/runs?size=500");
        out.put("/api/runs", runs);
        for (JsonNode run : runs) {
            String base = "/api/runs/" + run.get("runId").asText();
            for (String path : List.of(base, base + "/hybrids", base + "/stats", base + "/summaries", base + "/progress",
                    base + "/checkpoints")) {
                out.put(path, read(path));
            }
        }
        out.put("/api/groups", read("/api/groups"));
        out.put("/api/groups/" + group, read("/api/groups/" + group));
        return out;
    }

    private Map<String, Set<String>> storedEventIds() {
        List<String> ids = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> RunEntity.<RunEntity>listAll().stream().map(r -> r.id).toList());
        return ids.stream().collect(Collectors.toMap(id -> id, id -> queries.storedEvents(id).stream()
                .map(Envelope::id).collect(Collectors.toCollection(TreeSet::new))));
    }

    private static JsonNode read(String path) throws Exception {
        String body = given().get(path).then().statusCode(200).extract().asString();
        return EventCodec.mapper().readTree(body);
    }
}
