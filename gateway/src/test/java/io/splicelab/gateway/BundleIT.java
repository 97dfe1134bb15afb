package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.SPLICER;
import static io.splicelab.gateway.ItSupport.STATS;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.authed;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.cell;
import static io.splicelab.gateway.ItSupport.checkpoint;
import static io.splicelab.gateway.ItSupport.publish;
import static io.splicelab.gateway.ItSupport.startedRun;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Exports: the tidy CSV of every list endpoint (as ?format=csv and as Accept: text/csv), and the bundles of a run
 * and of a group (what the zip holds, the manifest, the row budget). The test profile's row budget is 60.
 */
@QuarkusTest
class BundleIT {
    static final List<String> RUN_FILES = List.of("run.json", "config.json", "checkpoints.json", "checkpoints.csv",
            "progress.json", "progress.csv", "summaries.json", "summaries.csv", "stats.json", "stats.csv",
            "hybrids.json", "hybrids.csv");

    /** A started run with two progress points, two checkpoints, two cells, a summary and an analysis result. */
    static String populatedRun() {
        String runId = startedRun("bundle");
        publish(TRAINER.wrap(runId, new RunProgress(runId, 10, 100, 2.0, 0.2, 0.05, 100)));
        publish(TRAINER.wrap(runId, new RunProgress(runId, 20, 100, 1.5, 0.4, 0.05, 100)));
        publish(TRAINER.wrap(runId, checkpoint(runId, 0, 0)));
        publish(TRAINER.wrap(runId, checkpoint(runId, 50, 1)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "test", 0, 50, 0.7)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "corrupt:fog,light:3", 0, 50, 0.5)));
        publish(SPLICER.wrap(runId, new TcSummaryComputed(runId, "stem", "test", "carry", List.of(0, 50),
                Map.of("50", 0.93, "100", 0.81), 0.87, 100, 0.9)));
        publish(STATS.wrap(runId, new StatsComputed(runId, "spectrum", "stem", "probe", List.of(50), "series",
                Map.of("k", 2), Map.of("eigenvalues", List.of(3.0, 1.0)))));
        await(() -> given().get("/api/runs/" + runId).path("cells").equals(2)
                && given().get("/api/runs/" + runId + "/summaries").path("summaries.size()").equals(1)
                && given().get("/api/runs/" + runId + "/progress").path("size()").equals(2)
                && given().get("/api/runs/" + runId + "/checkpoints").path("size()").equals(2)
                && given().get("/api/runs/" + runId + "/stats").path("results.size()").equals(1), "all applied");
        return runId;
    }

    static List<String> csv(String path, boolean byAccept) {
        Response r = byAccept ? given().accept("text/csv").get(path) : given().queryParam("format", "csv").get(path);
        r.then().statusCode(200).contentType(startsWith("text/csv"));
        return r.asString().lines().toList();
    }

    @Test
    void everyListEndpointHasATidyCsv() {
        String runId = populatedRun();
        String base = "/api/runs/" + runId;
        for (boolean byAccept : new boolean[] {false, true}) {
            assertEquals(List.of("runId,step,index,trainLoss,trainBatchAccuracy,artifactUri,testAccuracy,accuracies",
                    runId + ",0,0,2.0,0.0,artifact:runs/" + runId + "/checkpoints/step-0.params,,",
                    runId + ",50,1,1.5,0.5,artifact:runs/" + runId + "/checkpoints/step-50.params,,"),
                    csv(base + "/checkpoints", byAccept));
            List<String> progress = csv(base + "/progress", byAccept);
            assertTrue(progress.get(0).startsWith("runId,step,totalSteps,loss,"), progress.get(0));
            assertEquals(3, progress.size());
            assertTrue(progress.get(1).startsWith(runId + ",10,100,2.0,"), progress.get(1));
            assertEquals(List.of("runId,cut,evalSet,bnMode,lag,meanRelativeAccuracy,tcScore,tcExcludingInitial,"
                    + "chancePairs,dropLag,threshold,steps,updatedAt"), csv(base + "/summaries", byAccept).subList(0, 1));
            List<String> summaries = csv(base + "/summaries", byAccept);
            assertEquals(3, summaries.size(), summaries.toString());
            assertTrue(summaries.get(1).startsWith(runId + ",stem,test,carry,50,0.93,0.87,")
                    && summaries.get(1).contains(",100,0.9,0 50,"), summaries.get(1));
            assertTrue(summaries.get(2).startsWith(runId + ",stem,test,carry,100,0.81,"));
            List<String> stats = csv(base + "/stats", byAccept);
            assertTrue(stats.get(0).startsWith("runId,analysis,source,cut,probeSet,evalSet,bnMode,steps,shape,"),
                    stats.get(0));
            assertTrue(stats.get(0).endsWith(",parameters,variable,index,value"), stats.get(0));
            assertEquals(3, stats.size(), stats.toString());
            assertTrue(stats.get(1).startsWith(runId + ",spectrum,/stats-service,stem,probe,,,50,series,"), stats.get(1));
            assertTrue(stats.get(1).endsWith(",\"{\"\"k\"\":2}\",eigenvalues,0,3.0"), stats.get(1));
            assertTrue(stats.get(2).endsWith(",eigenvalues,1,1.0"), stats.get(2));
        }
        // the runs list: one row per run of the page, configuration spread into columns; the paging headers stay
        Response runs = given().queryParam("format", "csv").queryParam("size", 500).get("/api/runs");
        runs.then().statusCode(200).contentType(startsWith("text/csv")).header("X-Total-Count", org.hamcrest.Matchers
                .notNullValue());
        List<String> lines = runs.asString().lines().toList();
        assertTrue(lines.get(0).startsWith("runId,status,config.") || lines.get(0).startsWith("runId,status,"),
                lines.get(0));
        assertTrue(lines.get(0).contains(",config.architecture,"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(runId + ",RUNNING,")), runs.asString());
        given().accept("text/csv").get("/api/runs").then().statusCode(200).contentType(startsWith("text/csv"));
        // JSON stays the default; a format that is neither is a problem naming it
        given().get(base + "/checkpoints").then().statusCode(200).contentType(ContentType.JSON);
        given().queryParam("format", "json").accept("text/csv").get(base + "/progress").then().statusCode(200)
                .contentType(ContentType.JSON);
        for (String path : List.of("/checkpoints", "/progress", "/summaries", "/stats")) {
            given().queryParam("format", "xml").get(base + path).then().statusCode(400)
                    .body("errors[0].field", equalTo("format"));
        }
        given().queryParam("format", "xml").get("/api/runs").then().statusCode(400);
        given().queryParam("format", "csv").get("/api/runs/no-such-run/summaries").then().statusCode(404);
    }

    @Test
    void theOpenApiDocumentDescribesTheCsvAndTheBundles() throws IOException {
        JsonNode paths = EventCodec.mapper().readTree(given().queryParam("format", "json").get("/q/openapi").asString())
                .path("paths");
        for (String path : List.of("/api/runs", "/api/groups", "/api/runs/{id}/checkpoints", "/api/runs/{id}/progress",
                "/api/runs/{id}/summaries", "/api/runs/{id}/stats", "/api/experiments/{id}/curves")) {
            JsonNode get = paths.path(path).path("get");
            assertTrue(get.path("responses").path("200").path("content").has("text/csv"), path + ": " + get);
            assertTrue(get.path("description").asText().contains("text/csv"), path + ": " + get);
            assertTrue(get.toString().contains("\"format\""), path + " documents ?format: " + get);
        }
        for (String path : List.of("/api/runs/{id}/bundle", "/api/groups/{id}/bundle",
                "/api/experiments/{id}/bundle")) {
            JsonNode get = paths.path(path).path("get");
            assertTrue(get.path("responses").path("200").path("content").has("application/zip"), path + ": " + get);
            assertTrue(get.path("responses").has("413"), path + ": " + get);
            assertTrue(get.path("description").asText().contains("manifest.json"), path + ": " + get);
        }
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    static String text(Map<String, byte[]> files, String name) {
        assertTrue(files.containsKey(name), name + " in " + files.keySet());
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    @Test
    void aRunsBundleHoldsEveryViewAsItsEndpointAnswers() throws IOException {
        String runId = populatedRun();
        String base = "/api/runs/" + runId;
        Response r = given().get(base + "/bundle");
        r.then().statusCode(200).contentType("application/zip")
                .header("Content-Disposition", containsString(runId + "-bundle.zip"));
        Map<String, byte[]> files = unzip(r.asByteArray());
        List<String> expected = new java.util.ArrayList<>(RUN_FILES);
        expected.add("manifest.json");
        assertEquals(expected, List.copyOf(files.keySet()));
        for (String view : List.of("checkpoints", "progress", "summaries", "stats", "hybrids")) {
            assertEquals(given().accept("text/csv").get(base + "/" + view).asString(), text(files, view + ".csv"), view);
            assertEquals(EventCodec.mapper().readTree(given().get(base + "/" + view).asString()),
                    EventCodec.mapper().readTree(text(files, view + ".json")), view);
        }
        JsonNode run = EventCodec.mapper().readTree(text(files, "run.json"));
        assertEquals(runId, run.path("runId").asText());
        assertEquals(run.path("config"), EventCodec.mapper().readTree(text(files, "config.json")));
        assertEquals(100, run.path("config").path("steps").asInt());
        JsonNode manifest = EventCodec.mapper().readTree(text(files, "manifest.json"));
        assertEquals("run", manifest.path("kind").asText());
        assertEquals(runId, manifest.path("id").asText());
        assertFalse(manifest.path("truncated").asBoolean());
        assertEquals(RUN_FILES.size(), manifest.path("entries").size());
        assertEquals(files.get("hybrids.csv").length, manifest.path("entries").get(11).path("bytes").asInt());

        given().get("/api/runs/no-such-run/bundle").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aRunOverTheRowBudgetIsA413BeforeAnythingIsSent() {
        String runId = startedRun("huge");
        for (int step = 1; step <= 61; step++) {
            publish(TRAINER.wrap(runId, new RunProgress(runId, step, 100, 2.0, 0.2, 0.05, 100)));
        }
        await(() -> given().get("/api/runs/" + runId + "/progress").path("size()").equals(61), "61 points");
        given().get("/api/runs/" + runId + "/bundle").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("splicelab.exports.bundle.max-rows = 60"));
    }

    @Test
    void aGroupsBundleHoldsTheGroupAndEachRun() throws IOException {
        Response accepted = authed().contentType(ContentType.JSON)
                .body("{\"name\":\"widths, compared\",\"factor\":\"seed\",\"values\":[1,2],\"config\":{\"steps\":60,"
                        + "\"checkpointInterval\":20}}")
                .post("/api/groups");
        accepted.then().statusCode(202);
        String groupId = accepted.path("groupId");
        List<String> runIds = accepted.path("runs.runId");
        Response r = given().get("/api/groups/" + groupId + "/bundle");
        r.then().statusCode(200).contentType("application/zip");
        Map<String, byte[]> files = unzip(r.asByteArray());
        List<String> expected = new java.util.ArrayList<>(List.of("group.json", "runs.csv"));
        for (String runId : runIds) {
            RUN_FILES.forEach(f -> expected.add("runs/" + runId + "/" + f));
        }
        expected.add("manifest.json");
        assertEquals(expected, List.copyOf(files.keySet()));
        JsonNode group = EventCodec.mapper().readTree(text(files, "group.json"));
        assertEquals("widths, compared", group.path("name").asText());
        List<String> runs = text(files, "runs.csv").lines().toList();
        assertTrue(runs.get(0).startsWith("groupId,factor,value,runId,status,"), runs.get(0));
        assertEquals(3, runs.size());
        assertTrue(runs.get(1).startsWith(groupId + ",seed,1," + runIds.get(0) + ","), runs.get(1));
        assertTrue(runs.get(2).startsWith(groupId + ",seed,2," + runIds.get(1) + ","), runs.get(2));
        assertEquals(runIds.get(1), EventCodec.mapper().readTree(text(files, "runs/" + runIds.get(1) + "/run.json"))
                .path("runId").asText());
        JsonNode manifest = EventCodec.mapper().readTree(text(files, "manifest.json"));
        assertEquals("group", manifest.path("kind").asText());
        // the group list as CSV: one row per group
        List<String> groups = csv("/api/groups", true);
        assertEquals("groupId,name,factor,runs,createdAt", groups.get(0));
        assertTrue(groups.stream().anyMatch(l -> l.startsWith(groupId + ",\"widths, compared\",seed,2,")),
                groups.toString());
        assertEquals(groupId, manifest.path("id").asText());

        given().get("/api/groups/grp-nope/bundle").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anExperimentsBundleHoldsItsDefinitionFiguresCurvesAndEachRun() throws IOException {
        String name = "bundled experiment " + System.nanoTime();
        Response accepted = authed().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"base\":"
                + "{\"steps\":40,\"checkpointInterval\":20},\"variants\":{\"baseline\":{},\"slow\":"
                + "{\"learningRate\":0.01}},\"seeds\":[1]}").post("/api/experiments");
        accepted.then().statusCode(202);
        String id = accepted.path("experimentId");
        List<String> runIds = accepted.path("runs.runId");
        runIds.forEach(ItSupport::awaitRun);
        for (int i = 0; i < runIds.size(); i++) {
            String runId = runIds.get(i);
            publish(TRAINER.wrap(runId, new RunProgress(runId, 10, 40, 2.0 - i, 0.2, 0.05, 100)));
            publish(TRAINER.wrap(runId, checkpoint(runId, 20, 1)));
            publish(SPLICER.wrap(runId, cell(runId, "stem", "test", 20, 20, 0.6 + 0.1 * i)));
        }
        String last = runIds.get(1);
        await(() -> given().get("/api/runs/" + last + "/hybrids").path("cells.size()").equals(1)
                && given().get("/api/runs/" + last + "/progress").path("size()").equals(1), "the runs' rows");

        Response r = given().get("/api/experiments/" + id + "/bundle");
        r.then().statusCode(200).contentType("application/zip")
                .header("Content-Disposition", containsString(id + "-bundle.zip"));
        Map<String, byte[]> files = unzip(r.asByteArray());
        List<String> expected = new java.util.ArrayList<>(List.of("experiment.json", "variants.csv", "curves.json",
                "curves.csv", "runs.csv"));
        for (String runId : runIds) {
            RUN_FILES.forEach(f -> expected.add("runs/" + runId + "/" + f));
        }
        expected.add("manifest.json");
        assertEquals(expected, List.copyOf(files.keySet()));
        JsonNode experiment = EventCodec.mapper().readTree(text(files, "experiment.json"));
        assertEquals(name, experiment.path("name").asText());
        assertEquals(0.01, experiment.path("variants").get(1).path("patch").path("learningRate").asDouble());
        assertEquals(40, experiment.path("base").path("steps").asInt());
        List<String> variants = text(files, "variants.csv").lines().toList();
        assertEquals("experimentId,variant,figure,cut,evalSet,n,mean,sd,se", variants.get(0));
        assertTrue(variants.contains(id + ",slow,testAccuracy,,,1,0.7,,"), variants.toString());
        List<String> curves = text(files, "curves.csv").lines().toList();
        assertEquals("experimentId,variant,metric,step,n,mean,sd,se", curves.get(0));
        assertTrue(curves.contains(id + ",baseline,testAccuracy,20,1,0.6,,"), curves.toString());
        assertTrue(curves.contains(id + ",slow,loss,10,1,1.0,,"), curves.toString());
        assertEquals("baseline", EventCodec.mapper().readTree(text(files, "curves.json")).path("variants").get(0)
                .path("name").asText());
        List<String> runs = text(files, "runs.csv").lines().toList();
        assertTrue(runs.get(0).startsWith("experimentId,variant,seed,runId,status,"), runs.get(0));
        assertTrue(runs.get(1).startsWith(id + ",baseline,1," + runIds.get(0) + ","), runs.get(1));
        assertTrue(runs.get(2).startsWith(id + ",slow,1," + runIds.get(1) + ","), runs.get(2));
        assertEquals(id, EventCodec.mapper().readTree(text(files, "runs/" + runIds.get(0) + "/run.json"))
                .path("experimentId").asText(), "a run names its experiment");
        JsonNode manifest = EventCodec.mapper().readTree(text(files, "manifest.json"));
        assertEquals("experiment", manifest.path("kind").asText());
        assertEquals(id, manifest.path("id").asText());
        // by name too; an unknown experiment is a problem
        given().get("/api/experiments/" + name + "/bundle").then().statusCode(200).contentType("application/zip");
        given().get("/api/experiments/exp-000000000000/bundle").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/experiments/no such experiment/bundle").then().statusCode(404)
                .contentType("application/problem+json");
        authed().delete("/api/experiments/" + id).then().statusCode(204);
    }
}
