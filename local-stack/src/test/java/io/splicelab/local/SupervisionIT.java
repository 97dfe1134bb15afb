package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor on a running stack (a real Kafka broker, stand-in services): a service killed with SIGKILL is
 * restarted and ready again; a service whose liveness stays DOWN is restarted; a killed broker is restarted on
 * its data, the topics still there.
 */
class SupervisionIT {
    static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void killedChildrenAndDownServicesAreRestartedHealthy(@TempDir Path tmp) throws Exception {
        Path repo = LocalStackTest.fakeRepo(tmp.resolve("repo"), true);
        Path down = tmp.resolve("stats-down");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        LocalStack stack = LocalStackTest.fakeStack(repo, tmp.resolve("stack"))
                .systemProperty(Service.STATS, "fake.down-file", down.toString())
                .restartPolicy(new RestartPolicy(3, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(5)))
                .superviseEvery(Duration.ofMillis(300)).out(out).build();
        try (stack) {
            stack.start();
            HealthProbe probe = new HealthProbe();

            // kill -9 a service: restarted, on the same port, ready again
            long splicer = stack.pids().get("splicer-service");
            ProcessHandle.of(splicer).orElseThrow().destroyForcibly();
            waitFor("the splicer restarted", buf, () -> stack.pids().get("splicer-service") != splicer
                    && probe.ready(stack.url(Service.SPLICER)).up());
            waitFor("the supervisor said so", buf, () -> text(buf).contains("splicer-service is up again"));
            assertTrue(text(buf).contains("splicer-service exited with code 137; restarting it (restart 1 of at most 3"),
                    text(buf));
            assertEquals("UP", stack.supervisor().states().get("splicer-service"));
            assertTrue(Files.readString(stack.logFile(Service.SPLICER)).lines().filter(l -> l.startsWith("# ")).count() == 2,
                    "the restart appends to the log, keeping the first start's lines");

            // liveness DOWN for longer than the grace: restarted; healthy again once the cause is gone
            long stats = stack.pids().get("stats-service");
            Files.createFile(down);
            waitFor("the stats service is restarted", buf, () -> text(buf).contains("stats-service health DOWN for"));
            Files.delete(down);
            waitFor("the stats service is up again", buf, () -> text(buf).contains("stats-service is up again"));
            assertNotEquals(stats, stack.pids().get("stats-service"));

            // kill -9 the broker: restarted on the same port and data
            long kafka = stack.pids().get("kafka");
            ProcessHandle.of(kafka).orElseThrow().destroyForcibly();
            waitFor("Kafka restarted", buf, () -> text(buf).contains("kafka restarted"));
            assertNotEquals(kafka, stack.pids().get("kafka"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                assertTrue(admin.listTopics().names().get().containsAll(Topics.ALL));
            }
            assertTrue(stack.exitedServices().isEmpty(), stack.exitedServices().toString());
        }
    }

    private static String text(ByteArrayOutputStream buf) {
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static void waitFor(String what, ByteArrayOutputStream buf, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " did not happen; console:\n" + text(buf));
            Thread.sleep(200);
        }
    }
}
