package io.splicelab.local;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps the local stack's children running: every few seconds it looks at each child (Kafka first), asks the
 * {@link RestartPolicy} what to do about an exit or a health that stays DOWN, restarts the child or gives up on
 * it, and says so. The services reconnect to a restarted broker by themselves; a restarted service resumes from
 * its consumer group's committed offsets.
 *
 * <p>Messages go to the console, or, while a follower is attached ({@link #attach()}), to a queue the follower
 * prints from, so they do not tear its progress line.
 */
public final class Supervisor implements StackWatch {
    /** A child's state, as shown on the console and by {@code follow}. */
    public enum State { UP, DOWN, RESTARTING, STARTING, EXITED, GAVE_UP }

    /** One supervised child: a service or the broker. */
    public interface Child {
        String name();

        /** The exit code when the process has exited, else null. */
        Integer exitCode();

        /** Liveness: is it still working? */
        HealthProbe.Health health();

        /** Stops what is left of it and starts it again; throws when it cannot. */
        void restart();

        /** Its log, named in messages. */
        String log();

        /** Whether its restart resets the DOWN time of the others (Kafka: they were down because it was). */
        default boolean everyoneDependsOnIt() {
            return false;
        }
    }

    private final List<Child> children;
    private final RestartPolicy policy;
    private final PrintStream out;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, State> states = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean attached;
    private volatile boolean stopped;
    private Thread thread;

    public Supervisor(List<Child> children, RestartPolicy policy, PrintStream out, Clock clock, Duration interval) {
        this.children = List.copyOf(children);
        this.policy = policy;
        this.out = out;
        this.clock = clock;
        this.interval = interval;
        Instant now = clock.instant();
        for (Child c : this.children) {
            states.put(c.name(), State.UP);
            policy.started(c.name(), now);
        }
    }

    /** Watches on a daemon thread until {@link #stop()}. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "splicelab-supervisor");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops watching and waits for a round in progress (a restart included) to end. */
    public void stop() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(120).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                checkOnce();
            } catch (RuntimeException e) {
                say("warning: the supervisor's check failed: " + e);
            }
        }
    }

    /** One round: every child once. */
    void checkOnce() {
        for (Child c : children) {
            if (stopped) {
                return;
            }
            check(c);
        }
    }

    private void check(Child c) {
        String name = c.name();
        if (policy.gaveUp(name)) {
            return;
        }
        Instant now = clock.instant();
        Integer code = c.exitCode();
        RestartPolicy.Decision d;
        if (code != null) {
            set(name, State.EXITED);
            d = policy.exited(name, code, now);
        } else {
            HealthProbe.Health h = c.health();
            State before = state(name);
            if (h.up()) {
                set(name, State.UP);
                if (before == State.STARTING) {
                    say(name + " is up again");
                } else if (before == State.DOWN) {
                    say(name + " is healthy again");
                }
            } else if (before == State.UP) {
                set(name, State.DOWN);
                say("warning: " + name + " is " + (h == HealthProbe.Health.DOWN ? "DOWN (its health check; restarted "
                        + "if it stays so for " + Durations.format(policy.downGrace()) + ")" : "not answering (restarted "
                        + "if it stays so for " + Durations.format(policy.unreachableGrace()) + ")"));
            }
            d = policy.health(name, h, now);
        }
        switch (d.action()) {
            case RESTART -> restart(c, d.reason());
            case GIVE_UP -> {
                set(name, State.GAVE_UP);
                say("ERROR: " + name + " " + d.reason() + ". It stays down until the stack is restarted; see "
                        + c.log() + "\n--- last lines of " + c.log() + " ---\n" + LogFiles.tail(java.nio.file.Path.of(c.log())));
            }
            case NONE -> {
            }
        }
    }

    private void restart(Child c, String reason) {
        String name = c.name();
        set(name, State.RESTARTING);
        say(name + " " + reason);
        try {
            c.restart();
            Instant now = clock.instant();
            policy.started(name, now);
            if (c.everyoneDependsOnIt()) {
                policy.pardonDownTime(now);
                set(name, State.UP);
                say(name + " restarted");
            } else {
                set(name, State.STARTING);
            }
        } catch (RuntimeException e) {
            if (stopped) {
                return;
            }
            set(name, State.EXITED);
            say("warning: could not restart " + name + ": " + e.getMessage());
        }
    }

    private synchronized State state(String name) {
        return states.getOrDefault(name, State.UP);
    }

    private synchronized void set(String name, State s) {
        states.put(name, s);
    }

    private void say(String message) {
        if (stopped) {
            return;
        }
        if (attached) {
            queue.add(message);
        } else {
            out.println(message);
            out.flush();
        }
    }

    /** From now on messages are queued for {@link #drainMessages()} instead of printed. */
    public void attach() {
        attached = true;
    }

    /** Messages are printed again (those still queued first). */
    public void detach() {
        attached = false;
        drainMessages().forEach(out::println);
    }

    @Override
    public List<String> drainMessages() {
        List<String> all = new ArrayList<>();
        for (String m; (m = queue.poll()) != null;) {
            all.add(m);
        }
        return all;
    }

    @Override
    public synchronized Map<String, String> states() {
        Map<String, String> copy = new LinkedHashMap<>();
        states.forEach((k, v) -> copy.put(k, v.name()));
        return copy;
    }

    public RestartPolicy policy() {
        return policy;
    }
}
