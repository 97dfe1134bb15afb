package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisorTest {

    /** A child whose exit code and health the test sets; counts its restarts. */
    static final class FakeChild implements Supervisor.Child {
        final String name;
        Integer exit;
        HealthProbe.Health health = HealthProbe.Health.UP;
        int restarts;
        boolean kafka;

        FakeChild(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Integer exitCode() {
            return exit;
        }

        @Override
        public HealthProbe.Health health() {
            return health;
        }

        @Override
        public void restart() {
            restarts++;
            exit = null;
        }

        @Override
        public String log() {
            return "/nowhere/" + name + ".log";
        }

        @Override
        public boolean everyoneDependsOnIt() {
            return kafka;
        }
    }

    @Test
    void exitsAreRestartedUntilThePolicyGivesUpAndAFollowerGetsTheMessages() {
        FakeChild splicer = new FakeChild("splicer-service");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        Supervisor sv = new Supervisor(List.of(splicer), new RestartPolicy(1, Duration.ofMinutes(10), Duration.ZERO,
                Duration.ZERO), new PrintStream(buf, true, StandardCharsets.UTF_8), clock, Duration.ofSeconds(1));
        sv.checkOnce();
        assertEquals(0, splicer.restarts);
        assertEquals("UP", sv.states().get("splicer-service"));

        splicer.exit = 137;
        sv.checkOnce();
        assertEquals(1, splicer.restarts);
        assertEquals("STARTING", sv.states().get("splicer-service"));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("splicer-service exited with code 137; restarting it"));
        sv.checkOnce();
        assertEquals("UP", sv.states().get("splicer-service"));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("splicer-service is up again"));

        sv.attach();
        splicer.exit = 1;
        sv.checkOnce();
        assertEquals(1, splicer.restarts, "one restart within the window: given up");
        assertEquals("GAVE_UP", sv.states().get("splicer-service"));
        List<String> messages = sv.drainMessages();
        assertEquals(1, messages.size(), messages.toString());
        assertTrue(messages.get(0).startsWith("ERROR: splicer-service exited with code 1; restarted 1 time within 10m "
                + "already, giving up on it. It stays down"), messages.get(0));
        assertEquals(List.of("splicer-service GAVE_UP"), sv.notUp());
        sv.checkOnce();
        assertEquals(List.of(), sv.drainMessages(), "said once");
    }

    @Test
    void aServiceThatStaysDownIsRestartedAndAKafkaRestartPardonsTheOthers() {
        FakeChild kafka = new FakeChild("kafka");
        kafka.kafka = true;
        FakeChild stats = new FakeChild("stats-service");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Supervisor sv = new Supervisor(List.of(kafka, stats), new RestartPolicy(3, Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ZERO), new PrintStream(buf, true, StandardCharsets.UTF_8), clock,
                Duration.ofSeconds(1));
        stats.health = HealthProbe.Health.DOWN;
        sv.checkOnce();
        assertEquals("DOWN", sv.states().get("stats-service"));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("warning: stats-service is DOWN"));
        now[0] = now[0].plusSeconds(20);
        kafka.exit = 137;
        sv.checkOnce();
        assertEquals(1, kafka.restarts);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("kafka restarted"));
        now[0] = now[0].plusSeconds(20);
        sv.checkOnce();
        assertEquals(0, stats.restarts, "its DOWN time started again when Kafka came back");
        now[0] = now[0].plusSeconds(30);
        sv.checkOnce();
        assertEquals(1, stats.restarts);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("stats-service health DOWN for 50 s; restarting it"));
    }
}
