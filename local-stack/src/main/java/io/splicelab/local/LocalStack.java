package io.splicelab.local;

import io.splicelab.kafka.KafkaBroker;
import io.splicelab.model.events.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The whole splicelab stack on one machine: a real Kafka broker (KRaft, its own JVM), the public topics, and
 * the four packaged Quarkus services as child JVMs, each logging to {@code <stack dir>/logs/<module>.log}, all
 * bound to the loopback unless told otherwise, and kept running by a {@link Supervisor}.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder().randomPorts().build().start()) {
 *     String gateway = stack.gatewayUrl();
 *     ...
 * }
 * }</pre>
 *
 * This class only puts the parts together, in order (broker, topics, services, readiness, supervision); each job
 * is its own class: {@link StackLayout} (paths), {@link StackPorts} (interface and ports), {@link ApiToken},
 * {@link TopicAdmin}, {@link ServiceLauncher} (command lines), {@link ChildProcesses} (the processes),
 * {@link HealthProbe}, {@link Supervisor} with {@link RestartPolicy}, {@link ProcessTree} and {@link LogFiles}. {@link #close()} (and a JVM shutdown hook, for Ctrl-C) stops the
 * supervisor, the services, then Kafka, and waits for every child process and its descendants to exit.
 */
public final class LocalStack implements AutoCloseable {
    /** Partitions of every public topic: one run's events stay on one partition; up to 3 instances share a group. */
    public static final int TOPIC_PARTITIONS = TopicAdmin.PARTITIONS;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackLayout layout;
    private final StackPorts ports;
    private final Set<Service> services;
    private final ServiceLauncher launcher;
    private final ApiToken token = ApiToken.generate();
    private final HealthProbe health = new HealthProbe();
    private final RestartPolicy restartPolicy;
    private final Duration superviseEvery;
    private final Duration readyTimeout;
    private final boolean shutdownHook;
    private final PrintStream out;

    private final ChildProcesses children;
    private final Object lock = new Object();
    private Supervisor supervisor;
    private Thread hook;
    private boolean started;

    LocalStack(LocalStackBuilder b, StackLayout layout, StackPorts ports) {
        this.layout = layout;
        this.ports = ports;
        this.services = EnumSet.copyOf(b.services);
        this.launcher = new ServiceLauncher(layout, ports, ports.bootstrapServers(), services, token, b.heaps,
                b.jvmArgs, b.properties);
        this.children = new ChildProcesses(launcher, b.kafkaTimeout);
        this.restartPolicy = b.restartPolicy;
        this.superviseEvery = b.superviseEvery;
        this.readyTimeout = b.readyTimeout;
        this.shutdownHook = b.shutdownHook;
        this.out = b.out;
    }

    public static LocalStackBuilder builder() {
        return new LocalStackBuilder();
    }

    // ------------------------------------------------------------------ accessors

    public StackLayout layout() {
        return layout;
    }

    public Path repo() {
        return layout.repo();
    }

    public Path stackDir() {
        return layout.stackDir();
    }

    public Path logDir() {
        return layout.logDir();
    }

    public Path logFile(Service service) {
        return layout.logFile(service);
    }

    public Path kafkaLogFile() {
        return layout.kafkaLogFile();
    }

    public Path artifactsDir() {
        return layout.artifactsDir();
    }

    public Path dataDir() {
        return layout.dataDir();
    }

    public Path djlCacheDir() {
        return layout.djlCacheDir();
    }

    public Set<Service> services() {
        return EnumSet.copyOf(services);
    }

    public String bindAddress() {
        return ports.bindAddress();
    }

    public int kafkaPort() {
        return ports.kafkaPort();
    }

    public String bootstrapServers() {
        return ports.bootstrapServers();
    }

    public int port(Service service) {
        return ports.port(service);
    }

    public String url(Service service) {
        return ports.url(service);
    }

    public String gatewayUrl() {
        return url(Service.GATEWAY);
    }

    public Path packagedApp(Service service) {
        return layout.packagedApp(service);
    }

    /** The command line that starts a service (see {@link ServiceLauncher#commandLine}). */
    public List<String> commandLine(Service service) {
        return launcher.commandLine(service);
    }

    /** The environment a service gets on top of this JVM's (see {@link ServiceLauncher#environment}). */
    public Map<String, String> environment(Service service) {
        return launcher.environment(service);
    }

    /** The API token of this stack: in the environment of the services that check it, and in {@link #apiTokenFile()}. */
    public String apiToken() {
        return token.value();
    }

    public Path apiTokenFile() {
        return layout.apiTokenFile();
    }

    public void checkPackagedApps() {
        layout.checkPackagedApps(services);
    }

    /** The supervisor once the stack is ready (null before), for {@code follow} and tests. */
    public Supervisor supervisor() {
        synchronized (lock) {
            return supervisor;
        }
    }

    /** The process ids of the running children (the services and {@code kafka}), for checks that nothing is left. */
    public Map<String, Long> pids() {
        return children.pids();
    }

    /** The services whose process has exited although the stack was not closed, with their exit codes. */
    public Map<Service, Integer> exitedServices() {
        return children.exited();
    }

    // ------------------------------------------------------------------ start

    /**
     * Starts Kafka, creates the topics, starts the services, waits until every one is ready, then supervises
     * them. On failure everything started so far is stopped and a {@link LocalStackException} says why (with the
     * tail of the failing service's log).
     *
     * @return this, for try-with-resources chaining
     */
    public LocalStack start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("already started");
            }
            started = true;
        }
        checkPackagedApps();
        ports.checkFree(services);
        token.writeTo(layout.apiTokenFile());
        out.println("API token for mutating requests (header X-Api-Token): " + layout.apiTokenFile());
        layout.createDirectories();
        out.println("splicelab local stack in " + layout.stackDir());
        out.println("  logs: " + layout.logDir());
        if (!ports.bindAddress().equals(StackPorts.LOOPBACK)) {
            out.println("  listening on " + ports.bindAddress() + ": reachable from other machines (--bind)");
        }
        if (shutdownHook) {
            hook = new Thread(this::closeFromHook, "splicelab-local-stack-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            startKafka();
            long t0 = System.nanoTime();
            for (Service s : services) {
                children.launch(s, false);
                out.println("starting " + s.module() + " on port " + port(s) + " (log " + logFile(s).getFileName() + ")");
            }
            awaitReady(new ArrayList<>(services), t0);
            out.println("stack ready: " + (services.contains(Service.GATEWAY) ? "gateway " + gatewayUrl() + "  " : "")
                    + "(Kafka " + bootstrapServers() + ")");
            if (restartPolicy != null) {
                startSupervisor();
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startKafka() {
        out.println("starting Kafka (KRaft) on " + bootstrapServers() + " ...");
        KafkaBroker broker = KafkaBroker.create(layout.kafkaDir(), ports.kafkaPort(), ports.bindAddress());
        LogFiles.link(layout.kafkaLogFile(), layout.logDir().resolve("kafka.log"));
        try {
            children.startKafka(broker);
        } catch (LocalStackException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LocalStackException("Kafka did not start: " + e.getMessage() + "\n"
                    + LogFiles.tail(layout.kafkaLogFile()), e);
        }
        try {
            List<String> created = TopicAdmin.ensureTopics(bootstrapServers(), Topics.ALL, TOPIC_PARTITIONS,
                    Duration.ofSeconds(60));
            out.println("Kafka ready; topics: " + Topics.ALL.size() + " (" + created.size() + " created, "
                    + TOPIC_PARTITIONS + " partitions each)");
        } catch (RuntimeException e) {
            throw new LocalStackException("could not create the Kafka topics: " + e.getMessage() + "\n"
                    + LogFiles.tail(layout.kafkaLogFile()), e);
        }
    }


    private void awaitReady(List<Service> order, long t0) {
        long deadline = t0 + readyTimeout.toNanos();
        Set<Service> waiting = new LinkedHashSet<>(order);
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext();) {
                Service s = it.next();
                Process p = children.process(s);
                if (!p.isAlive()) {
                    throw failure(s, s.module() + " exited with code " + p.exitValue() + " while starting");
                }
                if (health.ready(url(s)).up()) {
                    it.remove();
                    out.printf("  %-16s ready on %s (%.1f s)%n", s.module(), url(s), (System.nanoTime() - t0) / 1e9);
                }
            }
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                Service first = waiting.iterator().next();
                throw failure(first, waiting.stream().map(Service::module).collect(Collectors.joining(", "))
                        + " not ready within " + readyTimeout.toSeconds() + " s (GET /q/health/ready)");
            }
            sleep(500);
        }
    }

    private LocalStackException failure(Service s, String what) {
        return new LocalStackException(what + "\n--- last lines of " + logFile(s) + " ---\n" + LogFiles.tail(logFile(s)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ supervision

    private void startSupervisor() {
        List<Supervisor.Child> watched = new ArrayList<>();
        watched.add(children.kafkaChild(layout.kafkaLogFile().toString()));
        services.forEach(s -> watched.add(children.serviceChild(s, x -> health.live(url(x)), logFile(s).toString())));
        Supervisor sv = new Supervisor(watched, restartPolicy, out, Clock.systemUTC(), superviseEvery);
        synchronized (lock) {
            supervisor = sv;
        }
        sv.start();
        out.println("supervising: a service that exits or stays DOWN is restarted (at most "
                + restartPolicy.maxRestarts() + " times within " + Durations.format(restartPolicy.window()) + ")");
    }

    // ------------------------------------------------------------------ stop

    /**
     * Stops the supervisor, the services (gateway first), then Kafka, and waits until every child process and its
     * descendants have exited. Idempotent.
     */
    @Override
    public void close() {
        if (!children.markClosed()) {
            return;
        }
        Supervisor sv = supervisor();
        if (sv != null) {
            sv.stop();
        }
        children.stopAll(out);
        removeHook();
    }

    private void closeFromHook() {
        hook = null;
        close();
    }

    private void removeHook() {
        Thread h = hook;
        hook = null;
        if (h != null && h != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or about to
            }
        }
    }
}
