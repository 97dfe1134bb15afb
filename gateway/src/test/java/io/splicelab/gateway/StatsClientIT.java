package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's calls to the stats service (a fake one here): the API token goes along, answers (a 400 problem
 * included) are passed through, a read that meets a 5xx is retried, an analysis is not (a 502 problem).
 */
@QuarkusTest
@TestProfile(StatsClientIT.FakeStats.class)
class StatsClientIT {
    /** Points the REST client at a fake stats service that answers what {@link #script} says, in order. */
    public static class FakeStats implements QuarkusTestProfile {
        static final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
        static final ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        static final AtomicInteger calls = new AtomicInteger();
        static HttpServer server;

        static synchronized int port() {
            if (server == null) {
                try {
                    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                server.createContext("/", exchange -> {
                    calls.incrementAndGet();
                    String token = exchange.getRequestHeaders().getFirst("X-Api-Token");
                    tokens.add(token == null ? "<none>" : token);
                    Integer status = script.poll();
                    int code = status == null ? 200 : status;
                    byte[] body = (code == 400 ? "{\"title\":\"Bad request\",\"status\":400}"
                            : "{\"answer\":" + code + "}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type",
                            code == 400 ? "application/problem+json" : "application/json");
                    exchange.sendResponseHeaders(code, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
            }
            return server.getAddress().getPort();
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.stats.url", "http://127.0.0.1:" + port());
        }
    }

    @BeforeEach
    void reset() {
        FakeStats.script.clear();
        FakeStats.tokens.clear();
        FakeStats.calls.set(0);
    }

    @Test
    void anAnalysisCarriesTheTokenAndItsAnswerComesBackUnchanged() {
        FakeStats.script.add(400);
        given().header("X-Api-Token", "test-token").contentType("application/json").body("{}")
                .post("/api/analyses/mmd").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request"));
        assertEquals("test-token", FakeStats.tokens.poll(), "the stack's token is forwarded");
    }

    @Test
    void aReadIsRetriedOnA5xxAnAnalysisIsNot() {
        FakeStats.script.add(503);
        given().get("/api/analyses").then().statusCode(200).body("answer", equalTo(200));
        assertEquals(2, FakeStats.calls.get(), "the read was retried once");

        FakeStats.calls.set(0);
        FakeStats.script.add(500);
        given().header("X-Api-Token", "test-token").contentType("application/json").body("{}")
                .post("/api/analyses/mmd").then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("https://splicelab.io/problems/stats-unavailable"));
        assertEquals(1, FakeStats.calls.get(), "an analysis is not repeated");
    }
}
