package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.local.drills.DrillKit;
import io.splicelab.local.drills.DrillReport;
import io.splicelab.local.drills.Drills;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast drills on the real local stack (a Kafka broker in KRaft mode and the four packaged services):
 * hostile records on every consumed topic, the requests that once broke the gateway, a redelivered checkpoint of a
 * run the splicer had evicted, and kill -9 of the splicer mid-run (the service with the most state to rebuild: it
 * once showed a repeated progress event after its restart). The table of figures goes to
 * {@code target/drills.txt}; the other kill -9 drills and the full-size run are in {@code ./bench/run drills}.
 */
class DrillsIT {
    static LocalStack stack;
    static DrillKit kit;

    @BeforeAll
    static void start() {
        stack = ItStacks.start("drills-stack");
        Map<String, String> health = new LinkedHashMap<>();
        for (Service s : stack.services()) {
            health.put(s.module(), stack.url(s));
        }
        kit = new DrillKit(stack.gatewayUrl(), health, stack.bootstrapServers(), stack.apiToken());
    }

    @AfterAll
    static void stop() {
        if (kit != null) {
            kit.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theFastDrillsPass() throws IOException {
        Drills drills = new Drills(kit, stack.artifactsDir(), Duration.ofMinutes(4));
        Map<String, Supplier<DrillReport>> fast = new LinkedHashMap<>();
        fast.put("hostile records on every topic", drills::hostileRecords);
        fast.put("heavy requests", drills::heavyRequests);
        fast.put("redelivered checkpoint, evicted run", drills::redeliveredCheckpointOfAnEvictedRun);
        fast.put("kill -9 splicer-service", () -> drills.killMidRun("splicer-service", () -> ProcessHandle
                .of(stack.pids().get(Service.SPLICER.module())).ifPresent(ProcessHandle::destroyForcibly)));
        List<DrillReport> reports = Drills.run(fast);
        String table = DrillReport.table(reports);
        System.out.println(table);
        Files.writeString(Path.of("target", "drills.txt"), table);
        for (DrillReport r : reports) {
            assertTrue(r.passed(), r.name() + ": expected " + r.expected() + "; observed " + r.observed());
        }
    }
}
