package io.splicelab.gateway.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.splicelab.edge.auth.ApiToken;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway forwards the stack's API token to the stats service, whose analyses need it when configured. */
class StatsServiceClientTest {
    private HttpServer stats;
    private final AtomicReference<String> seenToken = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        stats = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stats.createContext("/", exchange -> {
            seenToken.set(exchange.getRequestHeaders().getFirst("X-Api-Token"));
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stats.start();
    }

    @AfterEach
    void stop() {
        stats.stop(0);
    }

    private StatsServiceClient client(Optional<String> token) {
        return new StatsServiceClient("http://127.0.0.1:" + stats.getAddress().getPort(), Duration.ofSeconds(10),
                new ApiToken(true, token, false, Path.of("target/unused")));
    }

    @Test
    void theTokenIsForwardedToTheStatsService() {
        StatsServiceClient.Answer a = client(Optional.of("s3cret")).post("api/analyses/x", "{}".getBytes(), null);
        assertEquals(200, a.status());
        assertEquals("s3cret", seenToken.get());
    }

    @Test
    void withoutATokenNothingIsSent() {
        client(Optional.empty()).get("api/analyses");
        assertNull(seenToken.get());
    }
}
