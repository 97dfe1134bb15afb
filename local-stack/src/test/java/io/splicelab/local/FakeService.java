package io.splicelab.local;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/**
 * Stands in for a packaged Quarkus service in tests: prints the switches it got, answers
 * {@code /q/health/ready} on {@code quarkus.http.port}; {@code -Dfake.fail=true} makes it die while starting,
 * {@code -Dfake.child=true} makes it start a child process (to check that descendants are stopped too).
 */
public final class FakeService {
    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("fake service: ai.djl.offline=" + System.getProperty("ai.djl.offline") + " OPT_OUT_TRACKING="
                + System.getProperty("OPT_OUT_TRACKING") + " env OPT_OUT_TRACKING=" + System.getenv("OPT_OUT_TRACKING")
                + " kafka=" + System.getProperty("kafka.bootstrap.servers"));
        if (Boolean.getBoolean("fake.fail")) {
            System.out.println("boom: cannot start");
            System.exit(3);
        }
        if (Boolean.getBoolean("fake.child")) {
            new ProcessBuilder("sleep", "600").redirectErrorStream(true).start();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.getInteger("quarkus.http.port")),
                0);
        server.createContext("/q/health/ready", ex -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        System.out.println("fake service ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
