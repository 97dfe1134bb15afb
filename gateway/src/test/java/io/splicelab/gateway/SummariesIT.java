package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.SPLICER;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.checkpoint;
import static io.splicelab.gateway.ItSupport.publish;
import static io.splicelab.gateway.ItSupport.startedRun;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Payloads.TcVariant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 at the API: TC summaries with and without the initial checkpoint and by lag in steps, cells whose deep
 * donor is at chance, each checkpoint's test accuracy from the grid's diagonal, the final test accuracy of
 * run.completed, and the training minibatch accuracy under its own name.
 */
@QuarkusTest
class SummariesIT {

    private static HybridEvaluated cell(String runId, String cut, String mode, int shallow, int deep,
            Map<String, Double> metrics, Boolean atChance) {
        return new HybridEvaluated(runId, cut, "test", mode, "float32", shallow, deep, 500, metrics,
                "stratified size=500 seed=1", atChance);
    }

    private static Map<String, Double> curve(Object... lagsAndValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < lagsAndValues.length; i += 2) {
            m.put(String.valueOf(lagsAndValues[i]), (Double) lagsAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void summariesCellsAtChanceCheckpointAccuraciesAndTheFinalTestAccuracy() {
        String runId = startedRun("tc14");
        publish(TRAINER.wrap(runId, new RunProgress(runId, 90, 100, 0.4, 0.953, 0.05, 300)));
        for (int i = 0; i < 3; i++) {
            publish(TRAINER.wrap(runId, checkpoint(runId, i * 50, i)));
        }
        // the diagonal: step 0 at chance; 50 and 100 learnt; a recalibrated diagonal at stage1
        publish(SPLICER.wrap(runId, cell(runId, "stem", "carry", 0, 0, Map.of("accuracy", 0.1), true)));
        publish(SPLICER.wrap(runId, cell(runId, "stage1", "carry", 0, 0, Map.of("accuracy", 0.1), true)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "carry", 50, 50,
                Map.of("accuracy", 0.8, "relativeAccuracy", 1.0), false)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "carry", 100, 100,
                Map.of("accuracy", 0.85, "relativeAccuracy", 1.0), false)));
        publish(SPLICER.wrap(runId, cell(runId, "stage1", "recalibrate", 50, 50, Map.of("accuracy", 0.78), false)));
        // forward and backward hybrids; H(50 -> 0) has its deep part from the random initialisation
        publish(SPLICER.wrap(runId, cell(runId, "stem", "carry", 0, 50,
                Map.of("accuracy", 0.2, "relativeAccuracy", 0.25), false)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "carry", 50, 0, Map.of("accuracy", 0.1), true)));
        TcVariant all = new TcVariant(0.6, 3, curve(1, 0.6, 2, 0.5), curve(50, 0.6, 100, 0.5), 1, 50);
        TcVariant later = new TcVariant(0.95, 1, curve(1, 0.95), curve(50, 0.95), null, null);
        publish(SPLICER.wrap(runId, new TcSummaryComputed(runId, "stem", "test", "carry", List.of(0, 50, 100),
                all.curveByCheckpoints(), 0.6, 1, 0.9, 0.95, 0, 2, all, later)));
        publish(TRAINER.wrap(runId, new RunCompleted(runId, 100, 3, 0.953, 0.8612, 10000)));

        await(() -> given().get("/api/runs/" + runId).path("cells").equals(7)
                && "COMPLETED".equals(given().get("/api/runs/" + runId).path("status"))
                && given().get("/api/runs/" + runId + "/summaries").path("summaries.size()").equals(1),
                "all applied");

        // the run: the minibatch accuracy under its name, the final test accuracy, per checkpoint its test accuracy
        JsonPath run = given().get("/api/runs/" + runId).then().statusCode(200)
                .body("trainBatchAccuracy", equalTo(0.953f)).body("$", not(hasKey("accuracy")))
                .body("testAccuracy", equalTo(0.8612f)).body("testSamples", equalTo(10000))
                .body("checkpoints.step", contains(0, 50, 100))
                .body("checkpoints.testAccuracy", contains(0.1f, 0.8f, 0.85f))
                .body("checkpoints[1].trainBatchAccuracy", equalTo(0.5f))
                .body("checkpoints[1]", not(hasKey("trainAccuracy")))
                .extract().jsonPath();
        // carried statistics: one entry per evaluation set (the plain checkpoint at every cut); recalibrated: per cut
        org.junit.jupiter.api.Assertions.assertEquals(1, run.getList("checkpoints[0].accuracies").size(),
                "step 0 is the plain checkpoint at stem and stage1: one entry");
        given().get("/api/runs/" + runId + "/checkpoints").then().statusCode(200)
                .body("[0].accuracies[0].deepDonorAtChance", equalTo(true))
                .body("[0].accuracies[0].cut", nullValue())
                .body("[1].accuracies", hasSize(2))
                .body("[1].accuracies.bnMode", contains("carry", "recalibrate"))
                .body("[1].accuracies[1].cut", equalTo("stage1"))
                .body("[1].accuracies[1].accuracy", equalTo(0.78f))
                .body("[1].accuracies[0].samples", equalTo(500))
                .body("[1].testAccuracy", equalTo(0.8f));
        given().get("/api/runs").then().statusCode(200)
                .body("find { it.runId == '" + runId + "' }.trainBatchAccuracy", equalTo(0.953f))
                .body("find { it.runId == '" + runId + "' }.testAccuracy", equalTo(0.8612f));
        given().get("/api/runs/" + runId + "/progress").then().body("trainBatchAccuracy", contains(0.953f));

        // the summary: both variants, lags in checkpoints and steps, the threshold, pairs at chance
        given().get("/api/runs/" + runId + "/summaries").then().statusCode(200)
                .body("summaries[0].tcScore", equalTo(0.6f)).body("summaries[0].tcExcludingInitial", equalTo(0.95f))
                .body("summaries[0].initialStep", equalTo(0)).body("summaries[0].chancePairs", equalTo(2))
                .body("summaries[0].threshold", equalTo(0.9f)).body("summaries[0].dropLag", equalTo(1))
                .body("summaries[0].curve.1", equalTo(0.6f))
                .body("summaries[0].all.curveBySteps.100", equalTo(0.5f))
                .body("summaries[0].all.curveByCheckpoints.2", equalTo(0.5f))
                .body("summaries[0].all.dropLagSteps", equalTo(50))
                .body("summaries[0].all.pairs", equalTo(3))
                .body("summaries[0].excludingInitial.tc", equalTo(0.95f))
                .body("summaries[0].excludingInitial.dropLag", nullValue())
                .body("summaries[0].excludingInitial.curveBySteps.50", equalTo(0.95f));

        // cells at chance carry the flag and no relative accuracy
        given().get("/api/runs/" + runId + "/hybrids").then().statusCode(200)
                .body("cells.find { it.shallowStep == 50 && it.deepStep == 0 }.deepDonorAtChance", equalTo(true))
                .body("cells.find { it.shallowStep == 50 && it.deepStep == 0 }.metrics", not(hasKey("relativeAccuracy")))
                .body("cells.find { it.shallowStep == 0 && it.deepStep == 50 }.deepDonorAtChance", equalTo(false));

        // and the OpenAPI document names the new fields
        given().get("/q/openapi").then().statusCode(200).body(containsString("tcExcludingInitial"))
                .body(containsString("trainBatchAccuracy")).body(containsString("deepDonorAtChance"))
                .body(containsString("curveBySteps"));
    }

    @Test
    void oldEventsStillRead() {
        String runId = startedRun("tc14old");
        publish(TRAINER.wrap(runId, new RunProgress(runId, 100, 100, 0.4, 0.9, 0.05, 300)));
        publish(TRAINER.wrap(runId, checkpoint(runId, 0, 0)));
        publish(SPLICER.wrap(runId, new HybridEvaluated(runId, "stem", "test", "carry", "float32", 0, 0, 500,
                Map.of("accuracy", 0.1, "relativeAccuracy", 1.0))));
        publish(SPLICER.wrap(runId, new TcSummaryComputed(runId, "stem", "test", "carry", List.of(0, 50),
                Map.of("1", 0.93), 0.93, null, 0.9)));
        publish(TRAINER.wrap(runId, new RunCompleted(runId, 100, 1, 0.9)));
        await(() -> "COMPLETED".equals(given().get("/api/runs/" + runId).path("status"))
                && given().get("/api/runs/" + runId + "/summaries").path("summaries.size()").equals(1)
                && given().get("/api/runs/" + runId).path("cells").equals(1), "all applied");
        given().get("/api/runs/" + runId).then().body("trainBatchAccuracy", equalTo(0.9f))
                .body("testAccuracy", nullValue()).body("checkpoints[0].testAccuracy", equalTo(0.1f))
                .body("checkpoints[0].accuracies[0].deepDonorAtChance", nullValue());
        given().get("/api/runs/" + runId + "/summaries").then().body("summaries[0].tcScore", equalTo(0.93f))
                .body("summaries[0].tcExcludingInitial", nullValue()).body("summaries[0].all", nullValue());
        given().get("/api/runs").then().body("runId", hasItem(runId));
    }
}
