package io.splicelab.gateway;

import static io.splicelab.gateway.ItSupport.authed;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** A JSON body beyond 1 MB is refused before it is read (only the imports take large bodies). */
@QuarkusTest
class BodyLimitIT {
    @Test
    void aHugeJsonBodyIsA413Problem() {
        String milestones = String.join(",", Collections.nCopies(600_000, "1"));
        authed().contentType(ContentType.JSON).body("{\"lrMilestones\":[" + milestones + "]}").post("/api/runs")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://splicelab.io/problems/body-too-large"));
    }
}
