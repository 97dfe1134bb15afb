package io.splicelab.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * When the local stack restarts a child (a service or the Kafka broker), and when it stops trying. Pure: it is
 * told what was observed (an exit, a health answer) and when, and answers with a {@link Decision}; the
 * {@link Supervisor} does the I/O. Kept apart so that the rules can be tested without processes or clocks.
 *
 * <ul>
 *   <li>A child that exited is restarted at once.</li>
 *   <li>A running child that does not answer its health endpoint at all (a hung JVM) is restarted once it has
 *       stayed so for {@code unreachableGrace}.</li>
 *   <li>A running child that answers DOWN is restarted only once it has stayed so for {@code downGrace}, much
 *       longer: a Quarkus service's liveness is also DOWN while it works on one record for longer than its
 *       consumer's unprocessed-record age (the splicer evaluating a large grid), and killing it then would throw
 *       the work away. A child that was just (re)started gets {@code startGrace} to come up first.</li>
 *   <li>At most {@code maxRestarts} restarts of one child within {@code window}: the next failure gives up on it
 *       (it stays down, loudly, and is never restarted again by this stack).</li>
 * </ul>
 */
public final class RestartPolicy {
    /** What to do about a child. */
    public enum Action {
        /** Nothing (healthy, or not down long enough yet, or already given up). */
        NONE,
        /** Restart it now. */
        RESTART,
        /** Stop trying: it failed too often within the window. Given once per child. */
        GIVE_UP
    }

    /** An action and why, in words for the console. */
    public record Decision(Action action, String reason) {
        static final Decision NONE = new Decision(Action.NONE, "");
    }

    public static final int DEFAULT_MAX_RESTARTS = 3;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_UNREACHABLE_GRACE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DOWN_GRACE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_START_GRACE = Duration.ofSeconds(180);

    private final int maxRestarts;
    private final Duration window;
    private final Duration unreachableGrace;
    private final Duration downGrace;
    private final Duration startGrace;
    private final Map<String, Child> children = new HashMap<>();

    public RestartPolicy() {
        this(DEFAULT_MAX_RESTARTS, DEFAULT_WINDOW, DEFAULT_UNREACHABLE_GRACE, DEFAULT_DOWN_GRACE, DEFAULT_START_GRACE);
    }

    /** The same grace for a child that does not answer and for one that answers DOWN. */
    public RestartPolicy(int maxRestarts, Duration window, Duration downGrace, Duration startGrace) {
        this(maxRestarts, window, downGrace, downGrace, startGrace);
    }

    /**
     * @param maxRestarts restarts allowed per child within window (0: never restart)
     * @param window the sliding window the restarts are counted in
     * @param unreachableGrace how long a running child may not answer its health endpoint before it is restarted
     * @param downGrace how long a running child may answer DOWN before it is restarted
     * @param startGrace how long a (re)started child may take to come up before DOWN counts
     */
    public RestartPolicy(int maxRestarts, Duration window, Duration unreachableGrace, Duration downGrace,
            Duration startGrace) {
        if (maxRestarts < 0 || window.isNegative() || unreachableGrace.isNegative() || downGrace.isNegative()
                || startGrace.isNegative()) {
            throw new IllegalArgumentException("restart limits must not be negative");
        }
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.unreachableGrace = unreachableGrace;
        this.downGrace = downGrace;
        this.startGrace = startGrace;
    }

    public Duration downGrace() {
        return downGrace;
    }

    public Duration unreachableGrace() {
        return unreachableGrace;
    }

    public int maxRestarts() {
        return maxRestarts;
    }

    public Duration window() {
        return window;
    }

    /** The child was started (first start or restart) at {@code now}. */
    public void started(String child, Instant now) {
        Child c = child(child);
        c.startedAt = now;
        c.downSince = null;
        c.unreachableSince = null;
    }

    /** The child's process exited with {@code exitCode}. */
    public Decision exited(String child, int exitCode, Instant now) {
        return failure(child, "exited with code " + exitCode, now);
    }

    /** The child's health answer: {@code up} true when healthy, false when it answered DOWN. */
    public Decision health(String child, boolean up, Instant now) {
        return health(child, up ? HealthProbe.Health.UP : HealthProbe.Health.DOWN, now);
    }

    /**
     * The child's health: not-UP time counts from the first not-UP observation after its start grace, no-answer
     * time from the first no-answer; an UP answer resets both, any answer resets the no-answer time.
     */
    public Decision health(String child, HealthProbe.Health health, Instant now) {
        Child c = child(child);
        if (c.gaveUp) {
            return Decision.NONE;
        }
        if (health == HealthProbe.Health.UP) {
            c.downSince = null;
            c.unreachableSince = null;
            return Decision.NONE;
        }
        if (health != HealthProbe.Health.UNREACHABLE) {
            c.unreachableSince = null;
        }
        if (c.startedAt != null && now.isBefore(c.startedAt.plus(startGrace))) {
            return Decision.NONE;
        }
        if (c.downSince == null) {
            c.downSince = now;
        }
        if (health == HealthProbe.Health.UNREACHABLE && c.unreachableSince == null) {
            c.unreachableSince = now;
        }
        if (c.unreachableSince != null) {
            Duration silent = Duration.between(c.unreachableSince, now);
            if (silent.compareTo(unreachableGrace) >= 0) {
                return failure(child, "not answering its health check for " + silent.toSeconds() + " s", now);
            }
        }
        Duration down = Duration.between(c.downSince, now);
        if (down.compareTo(downGrace) < 0) {
            return Decision.NONE;
        }
        return failure(child, "health DOWN for " + down.toSeconds() + " s", now);
    }

    /** Forget the DOWN time of every child (e.g. while Kafka, which they all depend on, was restarted). */
    public void pardonDownTime(Instant now) {
        children.values().forEach(c -> {
            c.downSince = null;
            c.unreachableSince = null;
        });
    }

    /** Whether the policy gave up on the child. */
    public boolean gaveUp(String child) {
        return child(child).gaveUp;
    }

    /** Restarts of the child within the window ending at now. */
    public int restartsWithinWindow(String child, Instant now) {
        Child c = child(child);
        prune(c, now);
        return c.restarts.size();
    }

    private Decision failure(String child, String what, Instant now) {
        Child c = child(child);
        if (c.gaveUp) {
            return Decision.NONE;
        }
        prune(c, now);
        if (c.restarts.size() >= maxRestarts) {
            c.gaveUp = true;
            return new Decision(Action.GIVE_UP, what + "; restarted " + c.restarts.size() + " time"
                    + (c.restarts.size() == 1 ? "" : "s") + " within " + Durations.format(window)
                    + " already, giving up on it");
        }
        c.restarts.addLast(now);
        c.downSince = null;
        c.unreachableSince = null;
        return new Decision(Action.RESTART, what + "; restarting it (restart " + c.restarts.size() + " of at most "
                + maxRestarts + " within " + Durations.format(window) + ")");
    }

    private void prune(Child c, Instant now) {
        Instant from = now.minus(window);
        while (!c.restarts.isEmpty() && !c.restarts.peekFirst().isAfter(from)) {
            c.restarts.removeFirst();
        }
    }

    private Child child(String name) {
        return children.computeIfAbsent(name, n -> new Child());
    }

    private static final class Child {
        final Deque<Instant> restarts = new ArrayDeque<>();
        Instant startedAt;
        Instant downSince;
        Instant unreachableSince;
        boolean gaveUp;
    }
}
