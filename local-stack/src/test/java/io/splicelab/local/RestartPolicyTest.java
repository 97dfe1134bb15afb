package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.local.RestartPolicy.Action;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The splicer answers DOWN at each of these seconds, and the policy does nothing yet. */
    static void downWithoutAction(RestartPolicy p, long... seconds) {
        for (long second : seconds) {
            assertEquals(Action.NONE, p.health("splicer", false, at(second)).action(), "DOWN at " + second + " s");
        }
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** 2 restarts within 10 minutes, DOWN for 60 s restarts, 100 s to come up after a start. */
    static RestartPolicy policy() {
        RestartPolicy p = new RestartPolicy(2, Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(100));
        p.started("splicer", T0);
        return p;
    }

    @Test
    void anExitRestartsAtOnceAndSaysWhy() {
        RestartPolicy p = policy();
        RestartPolicy.Decision d = p.exited("splicer", 137, at(5));
        assertEquals(Action.RESTART, d.action());
        assertEquals("exited with code 137; restarting it (restart 1 of at most 2 within 10m)", d.reason());
        assertEquals(1, p.restartsWithinWindow("splicer", at(5)));
    }

    @Test
    void tooManyRestartsWithinTheWindowGiveUpOnceThenNothing() {
        RestartPolicy p = policy();
        assertEquals(Action.RESTART, p.exited("splicer", 1, at(10)).action());
        p.started("splicer", at(11));
        assertEquals(Action.RESTART, p.exited("splicer", 1, at(20)).action());
        p.started("splicer", at(21));
        RestartPolicy.Decision third = p.exited("splicer", 1, at(30));
        assertEquals(Action.GIVE_UP, third.action());
        assertTrue(third.reason().contains("restarted 2 times within 10m already, giving up"), third.reason());
        assertTrue(p.gaveUp("splicer"));
        assertEquals(Action.NONE, p.exited("splicer", 1, at(40)).action(), "given up once, then left alone");
        assertEquals(Action.NONE, p.health("splicer", false, at(4000)).action());
    }

    @Test
    void restartsOutsideTheWindowNoLongerCount() {
        RestartPolicy p = policy();
        assertEquals(Action.RESTART, p.exited("splicer", 1, at(0)).action());
        assertEquals(Action.RESTART, p.exited("splicer", 1, at(300)).action());
        // the first restart is 10 minutes old at 600: out of the window, so a third one is allowed
        assertEquals(Action.RESTART, p.exited("splicer", 1, at(601)).action());
        assertEquals(2, p.restartsWithinWindow("splicer", at(601)));
        assertEquals(Action.GIVE_UP, p.exited("splicer", 1, at(602)).action());
    }

    @Test
    void healthMustStayDownForTheGraceBeforeARestart() {
        RestartPolicy p = policy();
        downWithoutAction(p, 50, 99); // within the start grace, DOWN does not count
        downWithoutAction(p, 110, 169); // after it: counted from the first DOWN seen
        RestartPolicy.Decision d = p.health("splicer", false, at(170));
        assertEquals(Action.RESTART, d.action());
        assertTrue(d.reason().startsWith("health DOWN for 60 s; restarting it"), d.reason());
    }

    @Test
    void anUpAnswerResetsTheDownTime() {
        RestartPolicy p = policy();
        downWithoutAction(p, 200);
        assertEquals(Action.NONE, p.health("splicer", true, at(250)).action());
        downWithoutAction(p, 255, 300); // down 45 s only
        assertEquals(Action.RESTART, p.health("splicer", false, at(315)).action());
    }

    @Test
    void aRestartOfKafkaPardonsTheDownTimeOfTheOthers() {
        RestartPolicy p = policy();
        assertEquals(Action.NONE, p.health("splicer", false, at(200)).action());
        p.pardonDownTime(at(250));
        assertEquals(Action.NONE, p.health("splicer", false, at(261)).action(), "counted again from 261");
        assertEquals(Action.RESTART, p.health("splicer", false, at(321)).action());
    }

    @Test
    void childrenAreCountedApart() {
        RestartPolicy p = policy();
        p.started("kafka", T0);
        assertEquals(Action.RESTART, p.exited("kafka", 137, at(1)).action());
        assertEquals(Action.RESTART, p.exited("kafka", 137, at(2)).action());
        assertEquals(Action.GIVE_UP, p.exited("kafka", 137, at(3)).action());
        assertFalse(p.gaveUp("splicer"));
        assertEquals(Action.RESTART, p.exited("splicer", 1, at(4)).action());
    }

    @Test
    void zeroRestartsMeansGiveUpAtTheFirstFailure() {
        RestartPolicy p = new RestartPolicy(0, Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO);
        assertEquals(Action.GIVE_UP, p.exited("gateway", 1, T0).action());
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(-1, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO));
    }

    @Test
    void aServiceThatDoesNotAnswerIsRestartedSoonerThanOneThatAnswersDown() {
        RestartPolicy p = new RestartPolicy(3, Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(15),
                Duration.ZERO);
        p.started("splicer", T0);
        p.started("stats", T0);
        // DOWN answers (a long evaluation holds a record): not restarted after 60 s, only after 15 minutes
        assertEquals(Action.NONE, p.health("splicer", HealthProbe.Health.DOWN, at(0)).action());
        assertEquals(Action.NONE, p.health("splicer", HealthProbe.Health.DOWN, at(600)).action());
        assertEquals(Action.RESTART, p.health("splicer", HealthProbe.Health.DOWN, at(900)).action());
        // no answer at all (a hung JVM): 60 s
        assertEquals(Action.NONE, p.health("stats", HealthProbe.Health.UNREACHABLE, at(0)).action());
        assertEquals(Action.NONE, p.health("stats", HealthProbe.Health.DOWN, at(30)).action(), "an answer resets it");
        assertEquals(Action.NONE, p.health("stats", HealthProbe.Health.UNREACHABLE, at(40)).action());
        assertEquals(Action.NONE, p.health("stats", HealthProbe.Health.UNREACHABLE, at(99)).action());
        RestartPolicy.Decision d = p.health("stats", HealthProbe.Health.UNREACHABLE, at(100));
        assertEquals(Action.RESTART, d.action());
        assertTrue(d.reason().startsWith("not answering its health check for 60 s; restarting it"), d.reason());
    }
}
