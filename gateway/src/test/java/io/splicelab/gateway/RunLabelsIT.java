package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.authed;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Names, tags and notes of a run: {@code PATCH /api/runs/{id}} with the token, shown by the run and the list. */
@QuarkusTest
class RunLabelsIT {

    @Test
    void aRunIsNamedTaggedAndAnnotatedWithTheToken() {
        String runId = ItSupport.newRunId("labels");
        ItSupport.requestRun(runId);
        String path = "/api/runs/" + runId;
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").patch(path).then().statusCode(401);
        authed().contentType("application/merge-patch+json").body("{\"name\":\"lr 0.4\",\"tags\":[\"baseline\",\"sweep\"],"
                + "\"notes\":\"no warm-up\"}").patch(path).then().statusCode(200)
                .body("name", equalTo("lr 0.4")).body("tags", contains("baseline", "sweep"));
        given().get(path).then().statusCode(200).body("name", equalTo("lr 0.4"))
                .body("tags", contains("baseline", "sweep")).body("notes", equalTo("no warm-up"));
        given().get("/api/runs?size=500").then().statusCode(200)
                .body("find { it.runId == '" + runId + "' }.name", equalTo("lr 0.4"))
                .body("find { it.runId == '" + runId + "' }.tags", contains("baseline", "sweep"));
        // a field left out stays, null clears
        authed().contentType(ContentType.JSON).body("{\"tags\":null}").patch(path).then().statusCode(200)
                .body("name", equalTo("lr 0.4")).body("tags", empty());
        authed().contentType(ContentType.JSON).body("{\"name\":null,\"notes\":null}").patch(path).then().statusCode(200);
        given().get(path).then().body("name", nullValue()).body("notes", nullValue());
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        String runId = ItSupport.newRunId("labels-bad");
        ItSupport.requestRun(runId);
        String path = "/api/runs/" + runId;
        authed().contentType(ContentType.JSON).body("{\"tags\":[\"ok\",\"no,commas\"]}").patch(path).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("tags[1]"));
        authed().contentType(ContentType.JSON).body("{\"title\":\"x\"}").patch(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("title"));
        authed().contentType(ContentType.JSON).body("{\"name\":").patch(path).then().statusCode(400)
                .contentType("application/problem+json");
        authed().contentType(ContentType.JSON).body("{\"name\":\"x\"}").patch("/api/runs/no-such-run").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theContractIsInOpenApiAndTheFormsChoicesAreServed() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/runs/{id}'.patch.responses.'400'.description", containsString("names it"))
                .body("components.schemas.RunLabels.properties.tags.type", equalTo("array"));
        given().get("/api/run-options").then().statusCode(200).body("architectures", hasItem("resnet20"))
                .body("datasets", hasItem("cifar10")).body("cuts.resnet20[0]", equalTo("stem"))
                .body("defaults.learningRate", equalTo(0.05f));
    }
}
