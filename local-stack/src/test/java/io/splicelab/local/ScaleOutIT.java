package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.kafka.StringClients;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scaling out is adding instances: two splicer instances in the consumer group {@code splicer-service} split
 * the runs by partition. Several tiny runs (their ids chosen so that every partition of the 3 gets one) are
 * requested on {@code splicelab.run-commands}; every run's grid must be complete, every cell published exactly
 * once, every run handled by exactly one instance, and both instances must have worked.
 */
class ScaleOutIT {
    /** The splicer's default cuts, those of the stack's grids. */
    static final List<String> CUTS = Architectures.STAGE_CUTS;
    static final String CONFIG = ItStacks.tinyRun(20, 10, 11, 300, 60);

    static LocalStack stack;
    static Process secondSplicer;
    static Path secondLog;

    @BeforeAll
    static void start() throws Exception {
        stack = ItStacks.start("scale-out-stack", Service.TRAINER, Service.SPLICER);
        Path dir = stack.stackDir();
        // a second splicer: the same command line on another HTTP port (the later -D wins), its own log
        int port = io.splicelab.kafka.KafkaBroker.freePort();
        List<String> cmd = new ArrayList<>(stack.commandLine(Service.SPLICER));
        cmd.add(cmd.indexOf("-jar"), "-Dquarkus.http.port=" + port);
        secondLog = stack.logDir().resolve("splicer-service-2.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(secondLog.toFile());
        pb.environment().putAll(stack.environment(Service.SPLICER));
        secondSplicer = pb.start();
        HealthProbe probe = new HealthProbe();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!probe.ready("http://127.0.0.1:" + port).up()) {
            assertTrue(secondSplicer.isAlive(), "the second splicer exited:\n" + LogFiles.tail(secondLog));
            assertTrue(System.nanoTime() < deadline, "the second splicer is not ready:\n" + LogFiles.tail(secondLog));
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (secondSplicer != null) {
            List<ProcessHandle> tree = ProcessTree.withDescendants(secondSplicer.toHandle());
            tree.forEach(ProcessHandle::destroy);
            ProcessTree.awaitExit(tree, Duration.ofSeconds(30));
            assertFalse(secondSplicer.isAlive(), "second splicer left behind");
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoSplicersSplitRunsByPartitionAndComputeEveryCellOnce() throws Exception {
        RunConfig config = EventCodec.mapper().readValue(CONFIG, RunConfig.class);
        int k = config.withDefaults().checkpointSteps().size();
        int cellsPerRun = CUTS.size() * k * k;
        List<String> runs = runIdsCoveringPartitions(LocalStack.TOPIC_PARTITIONS, LocalStack.TOPIC_PARTITIONS);

        // wait until both splicers joined the group (each holds partitions), so no rebalance happens mid-run
        waitForAssignment(Duration.ofMinutes(2));

        EventCodec gateway = new EventCodec("/scale-out-it");
        try (KafkaProducer<String, String> producer = producer()) {
            for (String run : runs) {
                producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, run,
                        gateway.encode(run, new RunRequested(run, config))));
            }
            producer.flush();
        }

        Map<String, Integer> published = new HashMap<>(); // run/cut/a/b -> times
        try (KafkaConsumer<String, String> c = consumer("scale-out-it-reader")) {
            c.subscribe(List.of(Topics.HYBRID_RESULTS));
            long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos(); // generous: CI machines are shared
            while (System.nanoTime() < deadline && !complete(published, runs, cellsPerRun)) {
                assertTrue(stack.exitedServices().isEmpty(), "a service exited: " + stack.exitedServices());
                assertTrue(secondSplicer.isAlive(), "the second splicer exited");
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode e = EventCodec.mapper().readTree(r.value());
                    if (!EventType.HYBRID_EVALUATED.type().equals(e.get("type").asText())) {
                        continue;
                    }
                    JsonNode d = e.get("data");
                    published.merge(d.get("runId").asText() + "/" + d.get("cut").asText() + "/"
                            + d.get("shallowStep").asInt() + "/" + d.get("deepStep").asInt(), 1, Integer::sum);
                }
            }
            // a little longer: a duplicate would arrive now
            long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode e = EventCodec.mapper().readTree(r.value());
                    if (EventType.HYBRID_EVALUATED.type().equals(e.get("type").asText())) {
                        JsonNode d = e.get("data");
                        published.merge(d.get("runId").asText() + "/" + d.get("cut").asText() + "/"
                                + d.get("shallowStep").asInt() + "/" + d.get("deepStep").asInt(), 1, Integer::sum);
                    }
                }
            }
        }
        for (String run : runs) {
            long cells = published.keySet().stream().filter(key -> key.startsWith(run + "/")).count();
            assertEquals(cellsPerRun, cells, "run " + run + ": complete grid");
        }
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        published.forEach((key, n) -> {
            if (n != 1) {
                duplicates.put(key, n);
            }
        });
        assertTrue(duplicates.isEmpty(), "every cell computed once: " + duplicates);

        // which instance did which run: each run by exactly one, and both worked
        Set<String> first = runsIn(stack.logFile(Service.SPLICER), runs);
        Set<String> second = runsIn(secondLog, runs);
        System.out.println("splicer 1 computed " + first + ", splicer 2 computed " + second);
        Set<String> both = new HashSet<>(first);
        both.retainAll(second);
        assertTrue(both.isEmpty(), "runs computed by both instances: " + both);
        Set<String> all = new TreeSet<>(first);
        all.addAll(second);
        assertEquals(new TreeSet<>(runs), all, "every run computed by one instance");
        assertFalse(first.isEmpty(), "the first splicer computed runs");
        assertFalse(second.isEmpty(), "the second splicer computed runs");
    }

    /** Run ids whose records land on every partition (Kafka's default partitioner: murmur2 of the key). */
    static List<String> runIdsCoveringPartitions(int partitions, int count) {
        List<String> ids = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        for (int i = 0; ids.size() < count; i++) {
            String id = "scale-" + i;
            int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (covered.size() < partitions ? covered.add(p) : true) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static boolean complete(Map<String, Integer> published, List<String> runs, int cellsPerRun) {
        return runs.stream().allMatch(run -> published.keySet().stream().filter(k -> k.startsWith(run + "/")).count()
                == cellsPerRun);
    }

    private static Set<String> runsIn(Path log, List<String> runs) throws IOException {
        String text = Files.readString(log);
        Set<String> out = new TreeSet<>();
        for (String run : runs) {
            if (text.contains("run " + run + ": checkpoint at step")) {
                out.add(run);
            }
        }
        return out;
    }

    private static void waitForAssignment(Duration timeout) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.bootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                var group = admin.describeConsumerGroups(List.of("splicer-service")).all().get(30, TimeUnit.SECONDS)
                        .get("splicer-service");
                long withPartitions = group.members().stream()
                        .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                if (withPartitions >= 2 && group.groupState().toString().equalsIgnoreCase("stable")) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "the splicers did not both join the group: " + group);
                Thread.sleep(1000);
            }
        }
    }

    private static KafkaProducer<String, String> producer() {
        return StringClients.producer(stack.bootstrapServers());
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return StringClients.consumer(stack.bootstrapServers(), group);
    }
}
