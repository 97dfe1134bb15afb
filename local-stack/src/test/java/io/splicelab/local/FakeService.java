package io.splicelab.local;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for a packaged Quarkus service in tests: prints the switches it got, answers {@code /q/health/ready},
 * {@code /q/health/live} and {@code /q/health} on {@code quarkus.http.host:quarkus.http.port};
 * {@code -Dfake.fail=true} makes it die while starting, {@code -Dfake.child=true} makes it start a child process
 * (to check that descendants are stopped too), {@code -Dfake.down-file=PATH} makes its liveness DOWN (503) while
 * that file exists.
 */
public final class FakeService {
    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("fake service: ai.djl.offline=" + System.getProperty("ai.djl.offline") + " OPT_OUT_TRACKING="
                + System.getProperty("OPT_OUT_TRACKING") + " env OPT_OUT_TRACKING=" + System.getenv("OPT_OUT_TRACKING")
                + " kafka=" + System.getProperty("kafka.bootstrap.servers") + " host="
                + System.getProperty("quarkus.http.host") + " token=" + (System.getenv("SPLICELAB_API_TOKEN") != null));
        if (Boolean.getBoolean("fake.fail")) {
            System.out.println("boom: cannot start");
            System.exit(3);
        }
        if (Boolean.getBoolean("fake.child")) {
            new ProcessBuilder("sleep", "600").redirectErrorStream(true).start();
        }
        String downFile = System.getProperty("fake.down-file");
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getProperty("quarkus.http.host", "127.0.0.1"),
                Integer.getInteger("quarkus.http.port")), 0);
        server.createContext("/q/health/ready", ex -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/q/health/live", ex -> {
            boolean down = downFile != null && Files.exists(Path.of(downFile));
            byte[] body = (down ? "{\"status\":\"DOWN\"}" : "{\"status\":\"UP\"}").getBytes();
            ex.sendResponseHeaders(down ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        System.out.println("fake service ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
