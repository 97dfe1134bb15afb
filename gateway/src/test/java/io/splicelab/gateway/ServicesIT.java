package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** GET /api/services: the gateway, its producers and the services with a URL, without a token. */
@QuarkusTest
class ServicesIT {
    @Test
    void theServicesAreListedUpOrDownWithoutAToken() {
        // the test profile points the stats service at a port nobody listens on; trainer and splicer have no URL
        given().get("/api/services").then().statusCode(200)
                .body("services", hasSize(3))
                .body("services[0].name", equalTo("gateway")).body("services[0].status", equalTo("UP"))
                .body("services[1].name", equalTo("kafka")).body("services[1].status", equalTo("UP"))
                .body("services[2].name", equalTo("stats")).body("services[2].status", equalTo("DOWN"))
                .body("services[2].detail", startsWith("unreachable"))
                .body("services[2].url", equalTo("http://127.0.0.1:9/q/health"))
                .body("status", equalTo("DOWN"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }
}
