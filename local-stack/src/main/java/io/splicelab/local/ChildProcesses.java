package io.splicelab.local;

import io.splicelab.kafka.KafkaBroker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The stack's child processes (the broker and the services) and their lifecycle: start, restart, stop them all.
 * Thread-safe: the supervisor restarts children while the main thread (or the Ctrl-C hook) may close the stack;
 * once closed, nothing starts again.
 */
final class ChildProcesses {
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final ServiceLauncher launcher;
    private final Duration kafkaTimeout;
    private final Object lock = new Object();
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private KafkaBroker kafka;
    private boolean closed;

    ChildProcesses(ServiceLauncher launcher, Duration kafkaTimeout) {
        this.launcher = launcher;
        this.kafkaTimeout = kafkaTimeout;
    }

    /** Registers and starts the broker. */
    void startKafka(KafkaBroker broker) {
        synchronized (lock) {
            checkOpen();
            kafka = broker;
        }
        broker.start(kafkaTimeout);
    }

    /** Starts (or, after stopping what is left of it, restarts) a service. */
    void launch(Service s, boolean restart) {
        if (restart) {
            Process old = process(s);
            if (old != null) {
                ProcessTree.stop(old.toHandle(), STOP_GRACE);
            }
        }
        synchronized (lock) {
            checkOpen();
            processes.put(s, launcher.start(s, restart));
        }
    }

    Process process(Service s) {
        synchronized (lock) {
            checkOpen();
            return processes.get(s);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LocalStackException("the stack is stopping");
        }
    }

    Map<String, Long> pids() {
        synchronized (lock) {
            Map<String, Long> pids = new LinkedHashMap<>();
            if (kafka != null && kafka.pid() > 0) {
                pids.put("kafka", kafka.pid());
            }
            processes.forEach((s, p) -> pids.put(s.module(), p.pid()));
            return pids;
        }
    }

    Map<Service, Integer> exited() {
        synchronized (lock) {
            Map<Service, Integer> exited = new EnumMap<>(Service.class);
            if (!closed) {
                processes.forEach((s, p) -> {
                    if (!p.isAlive()) {
                        exited.put(s, p.exitValue());
                    }
                });
            }
            return exited;
        }
    }

    /** Closes: nothing starts from now on. Returns false when it was closed already. */
    boolean markClosed() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /** Stops the services (the last started first), then Kafka; waits for them and their descendants. */
    void stopAll(PrintStream out) {
        Map<Service, Process> toStop;
        KafkaBroker broker;
        synchronized (lock) {
            toStop = new EnumMap<>(processes);
            broker = kafka;
        }
        boolean any = !toStop.isEmpty() || broker != null;
        if (any) {
            out.println("stopping the stack ...");
        }
        List<Service> reverse = new ArrayList<>(toStop.keySet());
        Collections.reverse(reverse);
        List<ProcessHandle> all = new ArrayList<>();
        for (Service s : reverse) {
            List<ProcessHandle> tree = ProcessTree.withDescendants(toStop.get(s).toHandle());
            all.addAll(tree);
            tree.forEach(ProcessHandle::destroy);
        }
        ProcessTree.awaitExit(all, STOP_GRACE);
        if (broker != null) {
            List<ProcessHandle> tree = broker.pid() > 0
                    ? ProcessHandle.of(broker.pid()).map(ProcessTree::withDescendants).orElse(List.of())
                    : List.of();
            broker.close();
            tree.forEach(ProcessHandle::destroy);
            ProcessTree.awaitExit(tree, Duration.ofSeconds(20));
        }
        if (any) {
            out.println("stack stopped");
        }
    }

    // ------------------------------------------------------------------ as the supervisor sees them

    /** The broker: alive or not; a restart starts it again on the same data and port. */
    Supervisor.Child kafkaChild(String log) {
        return new Supervisor.Child() {
            @Override
            public String name() {
                return "kafka";
            }

            @Override
            public Integer exitCode() {
                KafkaBroker b;
                synchronized (lock) {
                    b = kafka;
                }
                return b == null || b.alive() ? null : b.exitCode();
            }

            @Override
            public HealthProbe.Health health() {
                return HealthProbe.Health.UP;
            }

            @Override
            public void restart() {
                KafkaBroker b;
                synchronized (lock) {
                    checkOpen();
                    b = kafka;
                }
                b.start(kafkaTimeout);
            }

            @Override
            public String log() {
                return log;
            }

            @Override
            public boolean everyoneDependsOnIt() {
                return true;
            }
        };
    }

    /** A service: its process, and its liveness from {@code live}. */
    Supervisor.Child serviceChild(Service s, Function<Service, HealthProbe.Health> live, String log) {
        return new Supervisor.Child() {
            @Override
            public String name() {
                return s.module();
            }

            @Override
            public Integer exitCode() {
                Process p;
                synchronized (lock) {
                    p = processes.get(s);
                }
                return p == null || p.isAlive() ? null : p.exitValue();
            }

            @Override
            public HealthProbe.Health health() {
                return live.apply(s);
            }

            @Override
            public void restart() {
                launch(s, true);
            }

            @Override
            public String log() {
                return log;
            }
        };
    }
}
