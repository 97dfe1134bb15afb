package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void theDemoConfigIsTheDocumentedOne() throws Exception {
        String json = Main.demoConfig(Main.Args.parse(new String[] {"demo"}));
        assertEquals("{\"architecture\":\"resnet20\",\"widthMultiplier\":0.5,\"dataset\":\"synthetic\",\"steps\":240,"
                + "\"batchSize\":64,\"learningRate\":0.05,\"momentum\":0.9,\"checkpointInterval\":60,\"seed\":1,"
                + "\"trainSize\":4000,\"evalSize\":500}", json);
    }

    @Test
    void flagsOverrideTheDemoConfig() throws Exception {
        JsonNode c = EventCodec.mapper().readTree(Main.demoConfig(Main.Args.parse(new String[] {"demo", "--steps",
                "100", "--seed=7", "--width", "0.25", "--checkpoint-interval", "25", "--lr", "0.1",
                "--architecture", "resnet32", "--train-size", "1000", "--eval-size", "200", "--batch-size", "32"})));
        assertEquals(100, c.get("steps").asInt());
        assertEquals(7, c.get("seed").asLong());
        assertEquals(0.25, c.get("widthMultiplier").asDouble());
        assertEquals(25, c.get("checkpointInterval").asInt());
        assertEquals(0.1, c.get("learningRate").asDouble());
        assertEquals("resnet32", c.get("architecture").asText());
        assertEquals(1000, c.get("trainSize").asInt());
        assertEquals(200, c.get("evalSize").asInt());
        assertEquals(32, c.get("batchSize").asInt());
        assertThrows(IllegalArgumentException.class,
                () -> Main.demoConfig(Main.Args.parse(new String[] {"demo", "--steps", "many"})));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(15), Main.parseDuration("15m"));
        assertEquals(Duration.ofSeconds(90), Main.parseDuration("90"));
        assertEquals(Duration.ofSeconds(90), Main.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(90), Main.parseDuration("1h30m"));
        assertEquals(Duration.ofMillis(500), Main.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(20), Main.parseDuration("PT20M"));
        assertThrows(IllegalArgumentException.class, () -> Main.parseDuration("soon"));
        assertThrows(IllegalArgumentException.class, () -> Main.parseDuration(""));
        assertEquals("15m", Main.formatDuration(Duration.ofMinutes(15)));
        assertEquals("1h1m5s", Main.formatDuration(Duration.ofSeconds(3665)));
    }

    @Test
    void usageErrorsExitWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {}, o, e));
        assertEquals(2, Main.run(new String[] {"fly"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'fly'"));
        assertEquals(2, Main.run(new String[] {"follow"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("follow needs a run id"));
        assertEquals(2, Main.run(new String[] {"demo", "--stpes", "3"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --stpes"));
        assertEquals(2, Main.run(new String[] {"demo", "--steps"}, o, e));
        assertEquals(0, Main.run(new String[] {"help"}, o, e));
    }

    @Test
    void stackOptionsReachTheBuilder(@TempDir Path tmp) throws Exception {
        Path repo = LocalStackTest.fakeRepo(tmp.resolve("repo"), true);
        Main.Args a = Main.Args.parse(new String[] {"up", "--stack-dir", tmp.resolve("stack").toString(),
                "--gateway-port", "18080", "--trainer-port", "18081", "--kafka-port", "19092", "--heap", "splicer=2g",
                "--prop", "trainer:splicelab.trainer.batch=8", "--prop", "all:quarkus.log.level=DEBUG"});
        LocalStack s = Main.stackBuilder(a).repo(repo).build();
        assertEquals(18080, s.port(Service.GATEWAY));
        assertEquals(18081, s.port(Service.TRAINER));
        assertEquals(8082, s.port(Service.SPLICER));
        assertEquals(19092, s.kafkaPort());
        assertEquals(tmp.resolve("stack"), s.stackDir());
        assertTrue(s.commandLine(Service.SPLICER).contains("-Xmx2g"));
        assertTrue(s.commandLine(Service.TRAINER).contains("-Dsplicelab.trainer.batch=8"));
        assertTrue(s.commandLine(Service.STATS).contains("-Dquarkus.log.level=DEBUG"));
        assertThrows(IllegalArgumentException.class,
                () -> Main.stackBuilder(Main.Args.parse(new String[] {"up", "--prop", "nobody:a=b"})));
        assertThrows(IllegalArgumentException.class,
                () -> Main.stackBuilder(Main.Args.parse(new String[] {"up", "--prop", "trainer=1"})));
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
