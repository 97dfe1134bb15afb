package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

    /** A stack of fake services ({@link #fakeRepo}) on free ports, each with a small heap. */
    static LocalStackBuilder fakeStack(Path repo, Path stackDir) {
        LocalStackBuilder b = LocalStack.builder().repo(repo).stackDir(stackDir).randomPorts();
        for (Service s : Service.values()) {
            b.heap(s, "64m");
        }
        return b;
    }

    /** A directory that looks like the repository; with apps, each quarkus-run.jar runs {@link FakeService}. */
    static Path fakeRepo(Path dir, boolean withApps, Service... without) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        for (Service s : Service.values()) {
            Files.createDirectories(dir.resolve(s.module()));
            if (withApps && !List.of(without).contains(s)) {
                writeFakeApp(StackLayout.packagedApp(dir, s));
            }
        }
        return dir;
    }

    private static void writeFakeApp(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        try {
            String classes = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toUri().toString();
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.endsWith("/") ? classes : classes + "/");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }

    private static PrintStream quiet(ByteArrayOutputStream buf) {
        return new PrintStream(buf, true, StandardCharsets.UTF_8);
    }

    @Test
    void aMissingPackagedAppIsAClearErrorBeforeAnythingStarts(@TempDir Path tmp) throws Exception {
        Path repo = fakeRepo(tmp.resolve("repo"), true, Service.SPLICER, Service.GATEWAY);
        LocalStack stack = LocalStack.builder().repo(repo).stackDir(tmp.resolve("stack")).randomPorts()
                .out(quiet(new ByteArrayOutputStream())).build();
        LocalStackException e = assertThrows(LocalStackException.class, stack::start);
        String msg = e.getMessage();
        assertTrue(msg.startsWith("The packaged services are missing:"), msg);
        assertTrue(msg.contains(repo.resolve("splicer-service/target/quarkus-app/quarkus-run.jar").toString()), msg);
        assertTrue(msg.contains(repo.resolve("gateway/target/quarkus-app/quarkus-run.jar").toString()), msg);
        assertFalse(msg.contains("trainer-service/target"), msg);
        assertTrue(msg.endsWith("Build the project first: cd " + repo + " && ./mvnw -DskipTests install"), msg);
        assertTrue(Files.notExists(tmp.resolve("stack")), "nothing started, nothing written");

        Path none = fakeRepo(tmp.resolve("none"), false);
        String one = assertThrows(LocalStackException.class, () -> LocalStack.builder().repo(none)
                .services(Service.STATS).build().checkPackagedApps()).getMessage();
        assertTrue(one.startsWith("The packaged service is missing:\n  " + none.resolve("stats-service")), one);
    }

    @Test
    void commandLinesCarryTheDjlOfflineSwitchesAndTheWiring(@TempDir Path tmp) throws Exception {
        Path repo = fakeRepo(tmp.resolve("repo"), false);
        Path stackDir = tmp.resolve("stack");
        LocalStack stack = LocalStack.builder().repo(repo).stackDir(stackDir).kafkaPort(19092)
                .port(Service.GATEWAY, 18080).heap(Service.TRAINER, "1g")
                .systemProperty(Service.TRAINER, "splicelab.trainer.batch-size", "8")
                .jvmArgs(Service.TRAINER, "-XX:+UseSerialGC").build();
        for (Service s : Service.values()) {
            List<String> cmd = stack.commandLine(s);
            assertTrue(cmd.get(0).endsWith("/bin/java"), cmd.get(0));
            assertTrue(cmd.contains("-Dai.djl.offline=true"), cmd.toString());
            assertTrue(cmd.contains("-DOPT_OUT_TRACKING=true"), cmd.toString());
            assertTrue(cmd.contains("-DDJL_CACHE_DIR=" + stackDir.resolve("djl-cache")), cmd.toString());
            assertTrue(cmd.contains("-DENGINE_CACHE_DIR=" + stackDir.resolve("djl-cache")), cmd.toString());
            assertTrue(cmd.contains("-Dkafka.bootstrap.servers=127.0.0.1:19092"), cmd.toString());
            assertTrue(cmd.contains("-Dsplicelab.artifacts.dir=" + stackDir.resolve("artifacts")), cmd.toString());
            assertTrue(cmd.contains("-Dsplicelab.data.dir=" + stackDir.resolve("data")), cmd.toString());
            assertTrue(cmd.contains("-Dquarkus.http.port=" + stack.port(s)), cmd.toString());
            assertTrue(cmd.contains("-Dquarkus.http.host=127.0.0.1"), "loopback only by default: " + cmd);
            assertTrue(cmd.contains("-XX:+ExitOnOutOfMemoryError"), cmd.toString());
            assertEquals(s != Service.TRAINER, stack.environment(s).get("SPLICELAB_API_TOKEN") != null,
                    "the gateway, the splicer and the stats service check the stack's token: " + s);
            assertEquals(List.of("-jar", repo.resolve(s.module() + "/target/quarkus-app/quarkus-run.jar").toString()),
                    cmd.subList(cmd.size() - 2, cmd.size()));
            assertTrue(cmd.get(1).startsWith("-Xmx"));
            assertEquals("true", stack.environment(s).get("OPT_OUT_TRACKING"));
            assertEquals(stackDir.resolve("logs").resolve(s.module() + ".log"), stack.logFile(s));
        }
        List<String> trainer = stack.commandLine(Service.TRAINER);
        assertEquals("-Xmx1g", trainer.get(1));
        assertEquals("-XX:+UseSerialGC", trainer.get(2));
        assertTrue(trainer.indexOf("-Dsplicelab.trainer.batch-size=8") < trainer.indexOf("-jar"));
        assertFalse(stack.commandLine(Service.STATS).contains("-Dsplicelab.trainer.batch-size=8"));
        assertTrue(stack.commandLine(Service.GATEWAY).contains("-Dquarkus.http.port=18080"));
        assertEquals("http://127.0.0.1:18080", stack.gatewayUrl());
        assertEquals(stack.apiToken(), stack.environment(Service.SPLICER).get("SPLICELAB_API_TOKEN"));
        assertFalse(String.join(" ", stack.commandLine(Service.GATEWAY)).contains(stack.apiToken()),
                "the token is never on a command line");

        LocalStack exposed = LocalStack.builder().repo(repo).stackDir(stackDir).bindAddress("0.0.0.0").build();
        assertTrue(exposed.commandLine(Service.GATEWAY).contains("-Dquarkus.http.host=0.0.0.0"));
        assertEquals("http://127.0.0.1:8080", exposed.gatewayUrl(), "reached through the loopback on this machine");
        assertEquals("0.0.0.0", exposed.bindAddress());
    }

    @Test
    void defaultsPortsAndDirectories(@TempDir Path tmp) throws Exception {
        Path repo = fakeRepo(tmp.resolve("repo"), false);
        LocalStack d = LocalStack.builder().repo(repo).build();
        assertEquals(9092, d.kafkaPort());
        assertEquals(8081, d.port(Service.TRAINER));
        assertEquals(8082, d.port(Service.SPLICER));
        assertEquals(8083, d.port(Service.STATS));
        assertEquals(8080, d.port(Service.GATEWAY));
        assertEquals(repo.resolve(".splicelab"), d.stackDir());
        assertEquals(repo.resolve(".splicelab/djl-cache"), d.djlCacheDir());

        LocalStack fresh = LocalStack.builder().repo(repo).freshStackDir(true).build();
        assertEquals(repo.resolve(".splicelab/runs"), fresh.stackDir().getParent());
        assertEquals(repo.resolve(".splicelab/djl-cache"), fresh.djlCacheDir(), "natives are extracted once");

        LocalStack r = LocalStack.builder().repo(repo).randomPorts().build();
        Set<Integer> ports = new HashSet<>(List.of(r.kafkaPort()));
        for (Service s : Service.values()) {
            assertNotEquals(0, r.port(s));
            ports.add(r.port(s));
        }
        assertEquals(5, ports.size(), "all different");

        assertThrows(LocalStackException.class,
                () -> LocalStack.builder().repo(repo).port(Service.STATS, 8080).build());
    }

    @Test
    void theRepositoryComesFromSplicelabHomeOrTheWorkingDirectory(@TempDir Path tmp) throws Exception {
        String old = System.getProperty("splicelab.home");
        try {
            System.clearProperty("splicelab.home");
            Path found = StackLayout.findRepo();
            assertTrue(Files.isDirectory(found.resolve("local-stack")), found.toString());

            Path repo = fakeRepo(tmp.resolve("repo"), false);
            System.setProperty("splicelab.home", repo.toString());
            assertEquals(repo, StackLayout.findRepo());

            System.setProperty("splicelab.home", tmp.toString());
            String msg = assertThrows(LocalStackException.class, StackLayout::findRepo).getMessage();
            assertTrue(msg.contains("is not the splicelab repository"), msg);
        } finally {
            if (old == null) {
                System.clearProperty("splicelab.home");
            } else {
                System.setProperty("splicelab.home", old);
            }
        }
    }

    @Test
    void startsKafkaTheTopicsAndTheServicesAndLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path repo = fakeRepo(tmp.resolve("repo"), true);
        Path stackDir = tmp.resolve("stack");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        LocalStack stack = fakeStack(repo, stackDir).systemProperty(Service.TRAINER, "fake.child", "true")
                .readyTimeout(Duration.ofSeconds(120)).out(quiet(buf)).build();
        List<ProcessHandle> tree = new ArrayList<>();
        try (stack) {
            stack.start();
            String out = buf.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("logs: " + stackDir.resolve("logs")), out);
            assertTrue(out.contains("stack ready: gateway " + stack.gatewayUrl()), out);
            for (Service s : Service.values()) {
                assertTrue(out.contains(s.module()), out);
                String log = Files.readString(stack.logFile(s));
                assertTrue(log.contains("fake service: ai.djl.offline=true OPT_OUT_TRACKING=true env OPT_OUT_TRACKING=true"
                        + " kafka=" + stack.bootstrapServers() + " host=127.0.0.1"), log);
            }
            assertTrue(Files.isSymbolicLink(stackDir.resolve("logs/kafka.log")));
            assertTrue(stack.exitedServices().isEmpty());

            Map<String, Long> pids = stack.pids();
            assertEquals(Set.of("kafka", "trainer-service", "splicer-service", "stats-service", "gateway"), pids.keySet());
            for (long pid : pids.values()) {
                tree.addAll(ProcessTree.withDescendants(ProcessHandle.of(pid).orElseThrow()));
            }
            long trainerChildren = ProcessHandle.of(pids.get("trainer-service")).orElseThrow().descendants().count();
            assertTrue(trainerChildren >= 1, "the fake trainer started a child");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get();
                assertEquals(Set.copyOf(Topics.ALL), topics.keySet());
                topics.values().forEach(t -> assertEquals(3, t.partitions().size(), t.name()));
                admin.createTopics(List.of(new NewTopic("splicelab.narrow", 1, (short) 1))).all().get();
            }
            // idempotent, and grows a topic with too few partitions
            assertEquals(List.of(), TopicAdmin.ensureTopics(stack.bootstrapServers(), Topics.ALL, 3, Duration.ofSeconds(30)));
            assertEquals(List.of(), TopicAdmin.ensureTopics(stack.bootstrapServers(), List.of("splicelab.narrow"), 3,
                    Duration.ofSeconds(30)));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                assertEquals(3, admin.describeTopics(List.of("splicelab.narrow")).allTopicNames().get()
                        .get("splicelab.narrow").partitions().size());
            }
        }
        assertTrue(tree.size() >= 6, tree.toString());
        for (ProcessHandle p : tree) {
            assertFalse(p.isAlive(), "still running: " + p.pid() + " " + p.info().commandLine().orElse(""));
        }
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("stack stopped"));
        stack.close(); // idempotent
    }

    @Test
    void aServiceThatDiesWhileStartingStopsEverythingAndShowsItsLog(@TempDir Path tmp) throws Exception {
        Path repo = fakeRepo(tmp.resolve("repo"), true);
        Path stackDir = tmp.resolve("stack");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        LocalStack stack = fakeStack(repo, stackDir).systemProperty(Service.STATS, "fake.fail", "true")
                .out(quiet(buf)).build();
        LocalStackException e = assertThrows(LocalStackException.class, stack::start);
        assertTrue(e.getMessage().startsWith("stats-service exited with code 3 while starting"), e.getMessage());
        assertTrue(e.getMessage().contains("boom: cannot start"), e.getMessage());
        assertTrue(e.getMessage().contains("--- last lines of " + stackDir.resolve("logs/stats-service.log")),
                e.getMessage());
        for (long pid : stack.pids().values()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive");
        }
        String dir = stackDir.toString();
        List<String> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains(dir)).toList();
        assertEquals(List.of(), left, "no process of this stack (Kafka included) is left");
    }

    @Test
    void portsInUseAreRefusedUpFront(@TempDir Path tmp) throws Exception {
        Path repo = fakeRepo(tmp.resolve("repo"), true);
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            LocalStack stack = LocalStack.builder().repo(repo).stackDir(tmp.resolve("s")).randomPorts()
                    .gatewayPort(busy.getLocalPort()).out(quiet(new ByteArrayOutputStream())).build();
            String msg = assertThrows(LocalStackException.class, stack::start).getMessage();
            assertTrue(msg.contains("gateway port " + busy.getLocalPort()), msg);
        }
    }
}
