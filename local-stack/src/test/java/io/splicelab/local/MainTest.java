package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    /** The command object picocli filled from the arguments (the first one names the command). */
    @SuppressWarnings("unchecked")
    static <T> T parse(String... args) {
        picocli.CommandLine.ParseResult r = Main.commandLine(System.out, System.err).parseArgs(args);
        return (T) r.subcommand().commandSpec().userObject();
    }

    static String demoConfig(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "demo";
        System.arraycopy(args, 0, all, 1, args.length);
        return MainTest.<Main.Demo>parse(all).run.toJson();
    }

    @Test
    void theDemoConfigIsTheDocumentedOne() throws Exception {
        String json = demoConfig();
        assertEquals("{\"architecture\":\"resnet20\",\"widthMultiplier\":0.5,\"dataset\":\"synthetic\",\"steps\":240,"
                + "\"batchSize\":64,\"learningRate\":0.05,\"momentum\":0.9,\"checkpointInterval\":60,\"seed\":1,"
                + "\"trainSize\":4000,\"evalSize\":500,\"evalSets\":[\"test\",\"train\",\"gaussian_noise-3\"]}", json);
    }

    @Test
    void flagsOverrideTheDemoConfig() throws Exception {
        JsonNode c = EventCodec.mapper().readTree(demoConfig("--steps",
                "100", "--seed=7", "--width", "0.25", "--checkpoint-interval", "25", "--lr", "0.1",
                "--architecture", "resnet32", "--train-size", "1000", "--eval-size", "200", "--batch-size", "32"));
        assertEquals(100, c.get("steps").asInt());
        assertEquals(7, c.get("seed").asLong());
        assertEquals(0.25, c.get("widthMultiplier").asDouble());
        assertEquals(25, c.get("checkpointInterval").asInt());
        assertEquals(0.1, c.get("learningRate").asDouble());
        assertEquals("resnet32", c.get("architecture").asText());
        assertEquals(1000, c.get("trainSize").asInt());
        assertEquals(200, c.get("evalSize").asInt());
        assertEquals(32, c.get("batchSize").asInt());
        assertEquals("[\"test\",\"fog-2\"]", EventCodec.mapper().readTree(demoConfig("--eval-sets", "test,fog-2"))
                .get("evalSets").toString());
        assertThrows(picocli.CommandLine.ParameterException.class, () -> demoConfig("--steps", "many"));
        assertEquals(0.3, EventCodec.mapper().readTree(demoConfig("--width-multiplier", "0.3"))
                .get("widthMultiplier").asDouble(), "the long name still works");
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(20), Durations.parse("PT20M"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
        assertEquals("15m", Durations.format(Duration.ofMinutes(15)));
        assertEquals("1h1m5s", Durations.format(Duration.ofSeconds(3665)));
        assertEquals(Duration.ofMinutes(20), MainTest.<Main.Demo>parse("demo", "--timeout", "20m").timeout);
        Main.Claims claims = MainTest.<Main.Claims>parse("claims", "--seeds", "1,2", "--timeout", "30m");
        assertEquals(java.util.List.of(1L, 2L), claims.seeds);
        assertEquals(Duration.ofMinutes(30), claims.timeout);
        assertEquals(java.nio.file.Path.of("claims-report.json"), claims.output);
    }

    @Test
    void usageErrorsExitWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {}, o, e));
        assertEquals(2, Main.run(new String[] {"fly"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("error: Unmatched argument at index 0: 'fly'"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Main.run(new String[] {"follow"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Missing required parameter: '<runId>'"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Main.run(new String[] {"demo", "--stpes", "3"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown options: '--stpes'"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Main.run(new String[] {"demo", "--steps"}, o, e));
        assertEquals(2, Main.run(new String[] {"up", "--prop", "nobody:a=b"}, o, e), "a bad value is a usage error");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown service 'nobody'"));
    }

    @Test
    void helpListsEveryCommandAndItsOptions() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(buf, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"help"}, o, o));
        String help = buf.toString(StandardCharsets.UTF_8);
        for (String word : new String[] {"demo", "claims", "--seeds", "--output", "up", "follow", "help", "--steps", "--keep-running", "--gateway",
                "--stack-dir", "--bind", "--heap", "--jvm-opt", "--prop", "--max-restarts", "--plain", "--timeout",
                "--ready-timeout", "--kafka-port", "<runId>", "runs", "export", "--out", "--limit", "--status"}) {
            assertTrue(help.contains(word), word + " in:\n" + help);
        }
    }

    @Test
    void stackOptionsReachTheBuilder(@TempDir Path tmp) throws Exception {
        Path repo = LocalStackTest.fakeRepo(tmp.resolve("repo"), true);
        Main.Up a = parse("up", "--stack-dir", tmp.resolve("stack").toString(),
                "--gateway-port", "18080", "--trainer-port", "18081", "--kafka-port", "19092", "--heap", "splicer=2g",
                "--prop", "trainer:splicelab.trainer.batch=8", "--prop", "all:quarkus.log.level=DEBUG",
                "--jvm-opt", "splicer=-XX:MaxDirectMemorySize=3g", "--bind", "0.0.0.0");
        LocalStack s = a.stack.builder().repo(repo).build();
        assertEquals(18080, s.port(Service.GATEWAY));
        assertEquals(18081, s.port(Service.TRAINER));
        assertEquals(8082, s.port(Service.SPLICER));
        assertEquals(19092, s.kafkaPort());
        assertEquals(tmp.resolve("stack"), s.stackDir());
        assertTrue(s.commandLine(Service.SPLICER).contains("-Xmx2g"));
        assertTrue(s.commandLine(Service.TRAINER).contains("-Dsplicelab.trainer.batch=8"));
        assertTrue(s.commandLine(Service.STATS).contains("-Dquarkus.log.level=DEBUG"));
        assertTrue(s.commandLine(Service.SPLICER).contains("-XX:MaxDirectMemorySize=3g"));
        assertFalse(s.commandLine(Service.TRAINER).contains("-XX:MaxDirectMemorySize=3g"));
        assertTrue(s.commandLine(Service.GATEWAY).contains("-Dquarkus.http.host=0.0.0.0"));
        assertThrows(IllegalArgumentException.class,
                () -> MainTest.<Main.Up>parse("up", "--prop", "nobody:a=b").stack.builder());
        assertThrows(IllegalArgumentException.class,
                () -> MainTest.<Main.Up>parse("up", "--prop", "trainer=1").stack.builder());
        assertThrows(IllegalArgumentException.class,
                () -> MainTest.<Main.Up>parse("up", "--jvm-opt", "-Xss1m").stack.builder());
    }

    @Test
    void demoWithoutPackagedAppsTellsHowToBuild(@TempDir Path tmp) throws Exception {
        Path repo = LocalStackTest.fakeRepo(tmp.resolve("repo"), false);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String old = System.getProperty("splicelab.home");
        System.setProperty("splicelab.home", repo.toString());
        try {
            int code = Main.run(new String[] {"demo", "--stack-dir", tmp.resolve("s").toString()},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, code);
        } finally {
            if (old == null) {
                System.clearProperty("splicelab.home");
            } else {
                System.setProperty("splicelab.home", old);
            }
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("./mvnw -DskipTests install"), e);
        assertTrue(Files.notExists(tmp.resolve("s")), "nothing is started or written before the check");
    }
}
