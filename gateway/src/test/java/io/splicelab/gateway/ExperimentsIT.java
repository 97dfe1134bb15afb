package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.CONFIG;
import static io.splicelab.gateway.ItSupport.SPLICER;
import static io.splicelab.gateway.ItSupport.STATS;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.authed;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.awaitRun;
import static io.splicelab.gateway.ItSupport.checkpoint;
import static io.splicelab.gateway.ItSupport.publish;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Topics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The experiments API against a real broker and PostgreSQL: launch (variants x seeds, validated up front, unique
 * names), the trainer's, splicer's and stats service's events published as they would be, the per-variant view with
 * its spread over seeds, the claims report, cancel and delete.
 */
@QuarkusTest
class ExperimentsIT {
    private static final int[] STEPS = {0, 20, 40};

    @Test
    void anExperimentRunsItsVariantsTimesSeedsAndIsJudgedAgainstTheClaims() {
        String name = "paper it " + System.nanoTime();
        String body = "{\"name\":\"" + name + "\",\"base\":{\"steps\":40,\"checkpointInterval\":20},"
                + "\"variants\":{\"baseline\":{},\"random-labels\":{\"labelNoise\":1},"
                + "\"frozen\":{\"freezeCut\":\"stage1\",\"freezeStep\":10}},\"seeds\":[1,2]}";
        given().contentType(ContentType.JSON).body(body).post("/api/experiments").then().statusCode(401);
        Response accepted = authed().contentType(ContentType.JSON).body(body).post("/api/experiments");
        accepted.then().statusCode(202).header("Location", startsWith("/api/experiments/exp-"))
                .body("runs", hasSize(6))
                .body("runs.variant", contains("baseline", "baseline", "random-labels", "random-labels", "frozen",
                        "frozen"))
                .body("runs.seed", contains(1, 2, 1, 2, 1, 2));
        String id = accepted.path("experimentId");
        List<String> runIds = accepted.path("runs.runId");
        for (String runId : runIds) {
            awaitRun(runId);
        }
        given().get("/api/runs/" + runIds.get(5)).then().body("config.freezeCut", equalTo("stage1"))
                .body("config.seed", equalTo(2));
        given().get("/api/runs/" + runIds.get(0)).then().body("config.freezeCut", nullValue())
                .body("config.freezeStep", nullValue()).body("config.labelNoise", equalTo(0.0f));

        // the name is unique; a bad variant starts nothing and is named
        authed().contentType(ContentType.JSON).body(body).post("/api/experiments").then().statusCode(409)
                .contentType("application/problem+json");
        int before = given().get("/api/experiments").path("size()");
        authed().contentType(ContentType.JSON).body("{\"name\":\"bad " + name + "\",\"variants\":{\"ok\":{},"
                + "\"frozen\":{\"freezeStep\":30}},\"seeds\":[1]}").post("/api/experiments").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("variants.frozen.freezeStep"))
                .body("errors[0].message", equalTo("needs a freezeCut"));
        assertEquals(before, (int) given().get("/api/experiments").path("size()"));

        // the runs train, the splicer evaluates them, the stats service analyses the baseline's noise
        double[][] test = {{0.85, 0.86}, {0.10, 0.10}, {0.70, 0.71}};
        double[][] fog = {{0.60, 0.62}, {0.10, 0.10}, {0.40, 0.41}};
        for (int i = 0; i < runIds.size(); i++) {
            String runId = runIds.get(i);
            int variant = i / 2;
            int seed = i % 2;
            publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, List.of(0, 20, 40))));
            publish(TRAINER.wrap(runId, new RunProgress(runId, 20, 40, 1.0 + 0.2 * seed, 0.5 + 0.1 * variant, 0.1, 100)));
            for (int k = 0; k < STEPS.length; k++) {
                publish(TRAINER.wrap(runId, checkpoint(runId, STEPS[k], k)));
            }
            grid(runId, "test", test[variant][seed], 0.97);
            grid(runId, "fog-3", fog[variant][seed], 0.95);
            grid(runId, "train", variant == 1 ? 0.1 : 0.9, variant == 1 ? 0.9 : 0.97);
            if (variant == 1) {
                grid(runId, "train-noisy", 0.6 + seed * 0.02, 0.5 + seed * 0.02);
            } else if (variant == 0) {
                publish(STATS.wrap(runId, new StatsComputed(runId, "noise-anisotropy", null, null, List.of(40),
                        "scalar", Map.of("alpha", 0.05), Map.of("ledoitWolf", Map.of("z", 30.0 + seed, "pValue", 1e-12),
                                "monteCarloNull", List.of(Map.of("k", 5, "observed", 0.7, "nullMean", 0.12,
                                        "pValue", 0.002))))));
            }
            publish(TRAINER.wrap(runId, new RunCompleted(runId, 40, 3, 0.9)));
            publish(SPLICER.wrap(runId, new GridProgress(runId, 40, 9, 9, 27, 27, 3, GridProgress.COMPLETE, null)));
        }
        await(() -> "finished".equals(given().get("/api/experiments/" + id).path("status")), "experiment finished");

        doubles().get("/api/experiments/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("kind", equalTo("experiment")).body("runs", equalTo(6)).body("settled", equalTo(6))
                .body("seeds", contains(1, 2)).body("base.steps", equalTo(40))
                .body("variants.name", contains("baseline", "random-labels", "frozen"))
                .body("variants[2].patch.freezeCut", equalTo("stage1"))
                .body("variants[0].testAccuracy.n", equalTo(2))
                .body("variants[0].testAccuracy.mean", closeTo(0.855, 1e-9))
                .body("variants[0].testAccuracy.sd", closeTo(Math.sqrt(0.00005), 1e-9))
                .body("variants[0].corruptedAccuracy.mean", closeTo(0.61, 1e-9))
                .body("variants[2].accuracy.'fog-3'.mean", closeTo(0.405, 1e-9))
                .body("variants[0].tc.stem.test.mean", closeTo(0.97, 1e-9))
                .body("variants[0].tcWithInitial.stem.test.mean", closeTo((0.3 + 0.3 + 0.97) / 3, 1e-9))
                .body("variants[1].tc.stem.'train-noisy'.mean", closeTo(0.51, 1e-9))
                .body("variants[0].anisotropy.seeds", equalTo(2))
                .body("variants[0].anisotropy.ledoitWolfZ.mean", closeTo(30.5, 1e-9))
                .body("variants[0].anisotropy.k", equalTo(5))
                .body("variants[0].anisotropy.topKShare.mean", closeTo(0.7, 1e-9))
                .body("variants[1].anisotropy", nullValue())
                .body("variants[0].runs.settled", everyItem(equalTo(true)));
        // the curves over training steps: per variant and metric, mean and spread over the seeds at each step
        doubles().get("/api/experiments/" + id + "/curves").then().statusCode(200).body("experimentId", equalTo(id))
                .body("metrics", contains("testAccuracy", "corruptedAccuracy", "loss", "trainBatchAccuracy"))
                .body("variants.name", contains("baseline", "random-labels", "frozen"))
                .body("variants[0].runs", equalTo(2))
                .body("variants[0].curves.testAccuracy.step", contains(0, 20, 40))
                .body("variants[0].curves.testAccuracy[2].n", equalTo(2))
                .body("variants[0].curves.testAccuracy[2].mean", closeTo(0.855, 1e-9))
                .body("variants[0].curves.testAccuracy[2].sd", closeTo(Math.sqrt(0.00005), 1e-9))
                .body("variants[2].curves.corruptedAccuracy[1].mean", closeTo(0.405, 1e-9))
                .body("variants[1].curves.loss.step", contains(20))
                .body("variants[1].curves.loss[0].mean", closeTo(1.1, 1e-9))
                .body("variants[1].curves.loss[0].sd", closeTo(Math.sqrt(0.02), 1e-9))
                .body("variants[1].curves.trainBatchAccuracy[0].mean", closeTo(0.6, 1e-9));
        List<String> csv = given().queryParam("format", "csv").get("/api/experiments/" + name + "/curves").then()
                .statusCode(200).contentType(containsString("text/csv")).extract().asString().lines().toList();
        assertEquals("experimentId,variant,metric,step,n,mean,sd,se", csv.get(0));
        assertEquals(id + ",baseline,testAccuracy,0,2,", csv.get(1).substring(0, (id + ",baseline,testAccuracy,0,2,")
                .length()));
        given().get("/api/experiments/exp-000000000000/curves").then().statusCode(404)
                .contentType("application/problem+json");
        // a run names its experiment
        given().get("/api/runs/" + runIds.get(0)).then().body("experimentId", equalTo(id));
        // by name as well as by id
        given().get("/api/experiments/" + name).then().statusCode(200).body("experimentId", equalTo(id));
        given().get("/api/experiments").then().statusCode(200).body("experimentId", hasItem(id));

        doubles().get("/api/experiments/" + id + "/claims").then().statusCode(200).body("complete", equalTo(true))
                .body("claims.id", contains(1, 2, 3, 4))
                .body("claims.verdict", contains("supported", "supported", "supported", "supported"))
                .body("claims[3].numbers.test.welch.pValue", org.hamcrest.Matchers.lessThan(0.05))
                .body("claims[1].numbers.randomLabelFit.mean", closeTo(0.61, 1e-9));
        given().accept(ContentType.TEXT).get("/api/experiments/" + id + "/claims").then().statusCode(200)
                .body(containsString("Claim 1: SUPPORTED")).body(containsString("6 of 6 runs settled"));

        // every run has finished: nothing to cancel; delete takes the runs with it
        authed().post("/api/experiments/" + id + "/cancel").then().statusCode(409);
        given().delete("/api/experiments/" + id).then().statusCode(401);
        authed().delete("/api/experiments/" + id).then().statusCode(204);
        given().get("/api/experiments/" + id).then().statusCode(404).contentType("application/problem+json");
        for (String runId : runIds) {
            given().get("/api/runs/" + runId).then().statusCode(404);
        }
    }

    @Test
    void cancellingAnExperimentCancelsItsUnfinishedRuns() {
        Response accepted = authed().contentType(ContentType.JSON).body("{\"name\":\"cancel it " + System.nanoTime()
                + "\",\"base\":{\"steps\":20,\"checkpointInterval\":10},\"variants\":{\"only\":{}},\"seeds\":[5,6]}")
                .post("/api/experiments");
        accepted.then().statusCode(202);
        String id = accepted.path("experimentId");
        List<String> runIds = accepted.path("runs.runId");
        runIds.forEach(ItSupport::awaitRun);
        publish(TRAINER.wrap(runIds.get(0), new RunStarted(runIds.get(0), CONFIG, List.of(0, 10, 20))));
        publish(TRAINER.wrap(runIds.get(0), new RunCompleted(runIds.get(0), 20, 3, 0.9)));
        await(() -> "COMPLETED".equals(given().get("/api/runs/" + runIds.get(0)).path("status")), "first completed");

        authed().post("/api/experiments/" + id + "/cancel").then().statusCode(202)
                .body("cancelled", contains(runIds.get(1)));
        var command = ItSupport.consumeUntil(Topics.RUN_COMMANDS, r -> runIds.get(1).equals(r.key())
                && r.value().contains("cancel-requested"));
        Envelope envelope = EventCodec.decode(command.value());
        assertEquals(runIds.get(1), EventCodec.payload(envelope, RunCancelRequested.class).runId());
        authed().delete("/api/experiments/" + id).then().statusCode(204);
    }

    @Test
    void theClaimsExperimentStartsInOneRequest() {
        given().contentType(ContentType.JSON).body("{}").post("/api/claims").then().statusCode(401);
        Response accepted = authed().contentType(ContentType.JSON).body("{\"name\":\"claims it " + System.nanoTime()
                + "\",\"seeds\":[1,2]}").post("/api/claims");
        accepted.then().statusCode(202).body("runs", hasSize(6)).header("Location", startsWith("/api/experiments/"));
        String id = accepted.path("experimentId");
        given().get("/api/experiments/" + id).then().body("kind", equalTo("claims"))
                .body("variants.name", contains("baseline", "random-labels", "frozen"))
                .body("base.dataset", equalTo("fashion-mnist"));
        // nothing has run: every claim is inconclusive and says why
        given().get("/api/experiments/" + id + "/claims").then().statusCode(200).body("complete", equalTo(false))
                .body("claims.verdict", everyItem(equalTo("inconclusive")))
                .body("claims[0].conclusiveIf[0]", containsString("baseline"));
        authed().delete("/api/experiments/" + id).then().statusCode(204);
    }

    /** Reads JSON numbers as doubles, so means compare with a tolerance. */
    private static io.restassured.specification.RequestSpecification doubles() {
        return given().config(io.restassured.RestAssured.config().jsonConfig(io.restassured.config.JsonConfig
                .jsonConfig().numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE)));
    }

    /**
     * A 3 x 3 grid of one set on cut stem: diagonal accuracy {@code acc}; relative accuracy {@code rel} between
     * trained checkpoints and 0.3 with the initial one.
     */
    private static void grid(String runId, String set, double acc, double rel) {
        for (int a = 0; a < STEPS.length; a++) {
            for (int b = 0; b < STEPS.length; b++) {
                double r = a == b ? 1.0 : a == 0 ? 0.3 : rel;
                publish(SPLICER.wrap(runId, new HybridEvaluated(runId, "stem", set, "carry", "float32", STEPS[a],
                        STEPS[b], 500, Map.of("accuracy", acc * r, "relativeAccuracy", r))));
            }
        }
    }
}
