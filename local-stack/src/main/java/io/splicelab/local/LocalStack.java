package io.splicelab.local;

import io.splicelab.kafka.KafkaBroker;
import io.splicelab.model.events.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole splicelab stack on one machine: a real Kafka broker (KRaft, its own JVM), the public topics, and
 * the four packaged Quarkus services as child JVMs, each logging to {@code <stack dir>/logs/<module>.log}.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder().randomPorts().build().start()) {
 *     String gateway = stack.gatewayUrl();
 *     ...
 * }
 * }</pre>
 *
 * {@link #close()} (and a JVM shutdown hook, for Ctrl-C) stops the services, then Kafka, and waits for every
 * child process and its descendants to exit.
 */
public final class LocalStack implements AutoCloseable {
    /** Partitions of every public topic: one run's events stay on one partition; up to 3 instances share a group. */
    public static final int TOPIC_PARTITIONS = 3;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(180);
    static final String BUILD_HINT = "./mvnw -DskipTests install";
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path repo;
    private final Path stackDir;
    private final Path djlCacheDir;
    private final int kafkaPort;
    private final Set<Service> services;
    private final Map<Service, Integer> ports;
    private final Map<Service, String> heaps;
    private final Map<Service, Map<String, String>> properties;
    private final Map<Service, List<String>> jvmArgs;
    private final Duration readyTimeout;
    private final Duration kafkaTimeout;
    private final boolean shutdownHook;
    private final PrintStream out;

    private final Object lock = new Object();
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final String apiToken = newApiToken();
    private KafkaBroker kafka;
    private Thread hook;
    private boolean started;
    private boolean closed;

    private LocalStack(Builder b) {
        this.repo = b.repo;
        this.stackDir = b.stackDir;
        this.djlCacheDir = b.djlCacheDir;
        this.kafkaPort = b.kafkaPort;
        this.services = EnumSet.copyOf(b.services);
        this.ports = new EnumMap<>(b.ports);
        this.heaps = new EnumMap<>(b.heaps);
        this.properties = new EnumMap<>(Service.class);
        b.properties.forEach((s, p) -> properties.put(s, new LinkedHashMap<>(p)));
        this.jvmArgs = new EnumMap<>(Service.class);
        b.jvmArgs.forEach((s, a) -> jvmArgs.put(s, List.copyOf(a)));
        this.readyTimeout = b.readyTimeout;
        this.kafkaTimeout = b.kafkaTimeout;
        this.shutdownHook = b.shutdownHook;
        this.out = b.out;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ accessors

    public Path repo() {
        return repo;
    }

    public Path stackDir() {
        return stackDir;
    }

    public Path logDir() {
        return stackDir.resolve("logs");
    }

    public Path logFile(Service service) {
        return logDir().resolve(service.module() + ".log");
    }

    /** Kafka's own log (also linked as {@code logs/kafka.log}). */
    public Path kafkaLogFile() {
        return stackDir.resolve("kafka").resolve("kafka.log");
    }

    public Path artifactsDir() {
        return stackDir.resolve("artifacts");
    }

    public Path dataDir() {
        return stackDir.resolve("data");
    }

    public Path djlCacheDir() {
        return djlCacheDir;
    }

    public Set<Service> services() {
        return EnumSet.copyOf(services);
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public int port(Service service) {
        return ports.get(service);
    }

    public String url(Service service) {
        return "http://127.0.0.1:" + port(service);
    }

    public String gatewayUrl() {
        return url(Service.GATEWAY);
    }

    /** The packaged application a service runs from. */
    public Path packagedApp(Service service) {
        return packagedApp(repo, service);
    }

    static Path packagedApp(Path repo, Service service) {
        return repo.resolve(service.module()).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** The process ids of the running children (the services and {@code kafka}), for checks that nothing is left. */
    public Map<String, Long> pids() {
        synchronized (lock) {
            Map<String, Long> out = new LinkedHashMap<>();
            if (kafka != null && kafka.pid() > 0) {
                out.put("kafka", kafka.pid());
            }
            processes.forEach((s, p) -> out.put(s.module(), p.pid()));
            return out;
        }
    }

    /** The services whose process has exited although the stack was not closed, with their exit codes. */
    public Map<Service, Integer> exitedServices() {
        synchronized (lock) {
            Map<Service, Integer> out = new EnumMap<>(Service.class);
            if (!closed) {
                processes.forEach((s, p) -> {
                    if (!p.isAlive()) {
                        out.put(s, p.exitValue());
                    }
                });
            }
            return out;
        }
    }

    /**
     * The command line that starts a service: {@code java -Xmx.. <DJL offline switches> <wiring> <extra> -jar
     * <module>/target/quarkus-app/quarkus-run.jar}.
     */
    public List<String> commandLine(Service service) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heaps.get(service));
        cmd.addAll(jvmArgs.getOrDefault(service, List.of()));
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-DOPT_OUT_TRACKING=true");
        cmd.add("-DDJL_CACHE_DIR=" + djlCacheDir);
        cmd.add("-DENGINE_CACHE_DIR=" + djlCacheDir);
        cmd.add("-Dkafka.bootstrap.servers=" + bootstrapServers());
        cmd.add("-Dsplicelab.artifacts.dir=" + artifactsDir());
        cmd.add("-Dsplicelab.data.dir=" + dataDir());
        cmd.add("-Dquarkus.http.port=" + port(service));
        properties.getOrDefault(service, Map.of()).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(packagedApp(service).toString());
        return cmd;
    }

    /**
     * The gateway's API token for this stack: generated per stack, handed to the gateway in its
     * environment (not on its command line) and written to {@link #apiTokenFile()} for other clients.
     */
    public String apiToken() {
        return apiToken;
    }

    /** Where the API token is written when the stack starts (readable by its owner only). */
    public Path apiTokenFile() {
        return stackDir.resolve("api-token");
    }

    private void writeApiToken() {
        try {
            Files.createDirectories(stackDir);
            Path file = apiTokenFile();
            Files.writeString(file, apiToken + "\n");
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file stays as created
            }
            out.println("API token for mutating requests (header X-Api-Token): " + file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the API token", e);
        }
    }

    private static String newApiToken() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** The environment a service gets on top of this JVM's. */
    public Map<String, String> environment(Service service) {
        Map<String, String> env = new LinkedHashMap<>();
        if (service == Service.GATEWAY) {
            env.put("SPLICELAB_API_TOKEN", apiToken);
            if (services.contains(Service.STATS)) {
                env.put("SPLICELAB_STATS_URL", url(Service.STATS));
            }
        }
        env.putAll(io.splicelab.model.djl.DjlOffline.launchEnvironment());
        env.put("DJL_CACHE_DIR", djlCacheDir.toString());
        env.put("ENGINE_CACHE_DIR", djlCacheDir.toString());
        return env;
    }

    /** Every packaged app this stack needs, or a clear error naming the missing ones and how to build them. */
    public void checkPackagedApps() {
        List<Path> missing = services.stream().map(this::packagedApp).filter(p -> !Files.isRegularFile(p)).toList();
        if (!missing.isEmpty()) {
            throw new LocalStackException("The packaged service" + (missing.size() > 1 ? "s are" : " is")
                    + " missing:\n" + missing.stream().map(p -> "  " + p).collect(Collectors.joining("\n"))
                    + "\nBuild the project first: cd " + repo + " && " + BUILD_HINT);
        }
    }

    // ------------------------------------------------------------------ start

    /**
     * Starts Kafka, creates the topics, starts the services and waits until every one is ready. On failure
     * everything started so far is stopped and a {@link LocalStackException} says why (with the tail of the
     * failing service's log).
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
        checkPortsFree();
        writeApiToken();
        try {
            Files.createDirectories(logDir());
            Files.createDirectories(artifactsDir());
            Files.createDirectories(dataDir());
            Files.createDirectories(djlCacheDir);
        } catch (IOException e) {
            throw new LocalStackException("cannot create the stack directory " + stackDir + ": " + e.getMessage(), e);
        }
        out.println("splicelab local stack in " + stackDir);
        out.println("  logs: " + logDir());
        if (shutdownHook) {
            hook = new Thread(this::closeFromHook, "splicelab-local-stack-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            startKafka();
            long t0 = System.nanoTime();
            List<Service> order = new ArrayList<>(services);
            for (Service s : order) {
                launch(s);
            }
            awaitReady(order, t0);
            out.println("stack ready: " + (services.contains(Service.GATEWAY) ? "gateway " + gatewayUrl() + "  " : "")
                    + "(Kafka " + bootstrapServers() + ")");
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void checkPortsFree() {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("kafka", kafkaPort);
        services.forEach(s -> wanted.put(s.module(), port(s)));
        List<String> busy = new ArrayList<>();
        wanted.forEach((name, port) -> {
            if (!portFree(port)) {
                busy.add(name + " port " + port);
            }
        });
        if (!busy.isEmpty()) {
            throw new LocalStackException("Port(s) already in use: " + String.join(", ", busy)
                    + ". Is another stack running? Stop it, or choose other ports (e.g. --gateway-port, --kafka-port).");
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void startKafka() {
        out.println("starting Kafka (KRaft) on " + bootstrapServers() + " ...");
        KafkaBroker broker = KafkaBroker.create(stackDir.resolve("kafka"), kafkaPort);
        synchronized (lock) {
            if (closed) {
                throw new LocalStackException("stopped while starting");
            }
            kafka = broker;
        }
        linkLog(kafkaLogFile(), logDir().resolve("kafka.log"));
        try {
            broker.start(kafkaTimeout);
        } catch (RuntimeException e) {
            throw new LocalStackException("Kafka did not start: " + e.getMessage() + "\n" + tail(kafkaLogFile()), e);
        }
        try {
            List<String> created = ensureTopics(bootstrapServers(), Topics.ALL, TOPIC_PARTITIONS, Duration.ofSeconds(60));
            out.println("Kafka ready; topics: " + Topics.ALL.size() + " (" + created.size() + " created, "
                    + TOPIC_PARTITIONS + " partitions each)");
        } catch (RuntimeException e) {
            throw new LocalStackException("could not create the Kafka topics: " + e.getMessage() + "\n"
                    + tail(kafkaLogFile()), e);
        }
    }

    private static void linkLog(Path target, Path link) {
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, link.getParent().relativize(target));
        } catch (IOException | UnsupportedOperationException e) {
            // only a convenience: the broker's log stays where KafkaBroker writes it
        }
    }

    /**
     * Creates the topics that do not exist yet (idempotent) and grows any with fewer partitions.
     *
     * @return the topics this call created
     */
    public static List<String> ensureTopics(String bootstrap, Collection<String> topics, int partitions,
            Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "splicelab-local-stack");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        long wait = timeout.toMillis();
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(wait, TimeUnit.MILLISECONDS);
            List<String> missing = topics.stream().filter(t -> !existing.contains(t)).distinct().toList();
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                var result = admin.createTopics(missing.stream()
                        .map(t -> new NewTopic(t, partitions, (short) 1)).toList());
                for (String t : missing) {
                    try {
                        result.values().get(t).get(wait, TimeUnit.MILLISECONDS);
                        created.add(t);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            List<String> present = topics.stream().filter(existing::contains).distinct().toList();
            if (!present.isEmpty()) {
                Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames()
                        .get(wait, TimeUnit.MILLISECONDS);
                Map<String, NewPartitions> grow = new LinkedHashMap<>();
                described.forEach((name, d) -> {
                    if (d.partitions().size() < partitions) {
                        grow.put(name, NewPartitions.increaseTo(partitions));
                    }
                });
                if (!grow.isEmpty()) {
                    admin.createPartitions(grow).all().get(wait, TimeUnit.MILLISECONDS);
                }
            }
            return created;
        } catch (ExecutionException e) {
            throw new LocalStackException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new LocalStackException("Kafka admin request timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }

    private void launch(Service s) {
        List<String> cmd = commandLine(s);
        Path log = logFile(s);
        try {
            Files.writeString(log, "# " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " "
                    + String.join(" ", cmd) + System.lineSeparator(), StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(stackDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment(s));
            synchronized (lock) {
                if (closed) {
                    throw new LocalStackException("stopped while starting");
                }
                processes.put(s, pb.start());
            }
        } catch (IOException e) {
            throw new LocalStackException("could not start " + s.module() + ": " + e.getMessage(), e);
        }
        out.println("starting " + s.module() + " on port " + port(s) + " (log " + log.getFileName() + ")");
    }

    private void awaitReady(List<Service> order, long t0) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = t0 + readyTimeout.toNanos();
        Set<Service> waiting = new LinkedHashSet<>(order);
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext();) {
                Service s = it.next();
                Process p;
                synchronized (lock) {
                    if (closed) {
                        throw new LocalStackException("stopped while starting");
                    }
                    p = processes.get(s);
                }
                if (!p.isAlive()) {
                    throw failure(s, s.module() + " exited with code " + p.exitValue() + " while starting");
                }
                if (ready(http, s)) {
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

    private boolean ready(HttpClient http, Service s) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }

    private LocalStackException failure(Service s, String what) {
        return new LocalStackException(what + "\n--- last lines of " + logFile(s) + " ---\n" + tail(logFile(s)));
    }

    /** The last lines of a log file, for error messages. */
    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ stop

    /**
     * Stops the services (gateway first), then Kafka, and waits until every child process and its descendants
     * have exited. Idempotent.
     */
    @Override
    public void close() {
        Map<Service, Process> toStop;
        KafkaBroker broker;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = new EnumMap<>(processes);
            broker = kafka;
        }
        boolean any = !toStop.isEmpty() || broker != null;
        if (any) {
            out.println("stopping the stack ...");
        }
        List<Service> reverse = new ArrayList<>(toStop.keySet());
        java.util.Collections.reverse(reverse);
        List<ProcessHandle> all = new ArrayList<>();
        for (Service s : reverse) {
            Process p = toStop.get(s);
            List<ProcessHandle> tree = withDescendants(p.toHandle());
            all.addAll(tree);
            tree.forEach(ProcessHandle::destroy);
        }
        awaitExit(all, STOP_GRACE);
        if (broker != null) {
            List<ProcessHandle> tree = broker.pid() > 0
                    ? ProcessHandle.of(broker.pid()).map(LocalStack::withDescendants).orElse(List.of())
                    : List.of();
            broker.close();
            tree.forEach(ProcessHandle::destroy);
            awaitExit(tree, Duration.ofSeconds(20));
        }
        removeHook();
        if (any) {
            out.println("stack stopped");
        }
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

    /** The process and, taken now, all its descendants (they are no longer reachable once the parent is gone). */
    static List<ProcessHandle> withDescendants(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    /** Waits up to grace for every process to exit, then kills the rest and waits a little more. */
    static void awaitExit(List<ProcessHandle> handles, Duration grace) {
        if (handles.isEmpty()) {
            return;
        }
        CompletableFuture<?> all = CompletableFuture.allOf(handles.stream().map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new));
        try {
            all.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException | ExecutionException e) {
            handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        try {
            all.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a process that survives SIGKILL for 10 s is beyond our reach
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ repository

    /**
     * The repository root: {@code -Dsplicelab.home} when set, else the current directory or the nearest parent
     * that holds {@code pom.xml} and the service modules.
     */
    public static Path findRepo() {
        String home = System.getProperty("splicelab.home");
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home).toAbsolutePath().normalize();
            if (!isRepo(p)) {
                throw new LocalStackException(p + " (from -Dsplicelab.home) is not the splicelab repository: it needs "
                        + "pom.xml and the folders " + modules() + ".");
            }
            return p;
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (isRepo(p)) {
                return p;
            }
        }
        throw new LocalStackException("Cannot find the splicelab repository from " + cwd
                + ": run from the repository root (with pom.xml and " + modules()
                + "), or set -Dsplicelab.home=<repository>.");
    }

    static boolean isRepo(Path p) {
        return Files.isRegularFile(p.resolve("pom.xml"))
                && EnumSet.allOf(Service.class).stream().allMatch(s -> Files.isDirectory(p.resolve(s.module())));
    }

    private static String modules() {
        return EnumSet.allOf(Service.class).stream().map(Service::module).collect(Collectors.joining(", "));
    }

    /** {@code <repo>/.splicelab}: the default stack directory. */
    public static Path defaultStackDir(Path repo) {
        return repo.resolve(".splicelab");
    }

    /** A new directory per run: {@code <repo>/.splicelab/runs/<timestamp>}. */
    public static Path freshStackDir(Path repo) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = defaultStackDir(repo).resolve("runs");
        Path dir = base.resolve(stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = base.resolve(stamp + "-" + i);
        }
        return dir;
    }

    // ------------------------------------------------------------------ builder

    /** Configures a stack; every setting has a default, so {@code builder().build()} is the standard stack. */
    public static final class Builder {
        private Path repo;
        private Path stackDir;
        private boolean fresh;
        private Path djlCacheDir;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private Set<Service> services = EnumSet.allOf(Service.class);
        private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
        private final Map<Service, String> heaps = new EnumMap<>(Service.class);
        private final Map<Service, Map<String, String>> properties = new EnumMap<>(Service.class);
        private final Map<Service, List<String>> jvmArgs = new EnumMap<>(Service.class);
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private Duration kafkaTimeout = Duration.ofSeconds(90);
        private boolean shutdownHook = true;
        private PrintStream out = System.out;

        private Builder() {
            for (Service s : Service.values()) {
                ports.put(s, s.defaultPort());
                heaps.put(s, s.defaultHeap());
            }
        }

        /** The repository root (default: {@link LocalStack#findRepo()}). */
        public Builder repo(Path repo) {
            this.repo = repo.toAbsolutePath().normalize();
            return this;
        }

        /** Where Kafka's data, the artifacts, the databases and the logs go (default {@code <repo>/.splicelab}). */
        public Builder stackDir(Path dir) {
            this.stackDir = dir.toAbsolutePath().normalize();
            return this;
        }

        /** A new stack directory for this run, {@code <repo>/.splicelab/runs/<timestamp>} (ignored after stackDir). */
        public Builder freshStackDir(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /**
         * DJL's native cache (~430 MB once extracted); default {@code <stack dir>/djl-cache}, or
         * {@code <repo>/.splicelab/djl-cache} for a fresh stack directory so it is extracted only once.
         */
        public Builder djlCacheDir(Path dir) {
            this.djlCacheDir = dir.toAbsolutePath().normalize();
            return this;
        }

        /** Kafka's port (default 9092; 0 picks a free one). */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** A service's HTTP port (defaults 8081 trainer, 8082 splicer, 8083 stats, 8080 gateway; 0 picks a free one). */
        public Builder port(Service service, int port) {
            ports.put(service, port);
            return this;
        }

        public Builder gatewayPort(int port) {
            return port(Service.GATEWAY, port);
        }

        /** Free ports for Kafka and every service, picked at {@link #build()}: for tests and parallel stacks. */
        public Builder randomPorts() {
            kafkaPort = 0;
            for (Service s : Service.values()) {
                ports.put(s, 0);
            }
            return this;
        }

        /** The services to start (default all four); Kafka always starts. */
        public Builder services(Service... services) {
            this.services = services.length == 0 ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(List.of(services));
            return this;
        }

        /** A service's {@code -Xmx} value, e.g. {@code 512m}. */
        public Builder heap(Service service, String xmx) {
            heaps.put(service, xmx);
            return this;
        }

        /** An extra system property for one service (e.g. a small batch size in tests); later values win. */
        public Builder systemProperty(Service service, String key, String value) {
            properties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** Extra system properties for one service. */
        public Builder systemProperties(Service service, Map<String, String> props) {
            props.forEach((k, v) -> systemProperty(service, k, v));
            return this;
        }

        /** An extra system property for every service. */
        public Builder systemPropertyForAll(String key, String value) {
            for (Service s : Service.values()) {
                systemProperty(s, key, value);
            }
            return this;
        }

        /** Extra JVM options for one service, placed before the system properties (e.g. {@code -XX:+UseSerialGC}). */
        public Builder jvmArgs(Service service, String... args) {
            jvmArgs.computeIfAbsent(service, s -> new ArrayList<>()).addAll(List.of(args));
            return this;
        }

        /** How long to wait for every service's {@code /q/health/ready} (default 180 s). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** How long to wait for Kafka to start (default 90 s). */
        public Builder kafkaTimeout(Duration timeout) {
            this.kafkaTimeout = timeout;
            return this;
        }

        /** Whether a JVM shutdown hook stops the stack on Ctrl-C (default true). */
        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /** Where progress messages go (default System.out). */
        public Builder out(PrintStream out) {
            this.out = out;
            return this;
        }

        /** Resolves the repository, the directories and any port 0; starts nothing. */
        public LocalStack build() {
            if (repo == null) {
                repo = findRepo();
            }
            if (stackDir == null) {
                stackDir = fresh ? LocalStack.freshStackDir(repo) : defaultStackDir(repo);
            }
            if (djlCacheDir == null) {
                djlCacheDir = fresh && stackDir.startsWith(defaultStackDir(repo))
                        ? defaultStackDir(repo).resolve("djl-cache")
                        : stackDir.resolve("djl-cache");
            }
            if (kafkaPort == 0) {
                kafkaPort = KafkaBroker.freePort();
            }
            Set<Integer> taken = new LinkedHashSet<>();
            taken.add(kafkaPort);
            for (Service s : Service.values()) {
                int p = ports.get(s);
                while (p == 0 || (ports.get(s) == 0 && taken.contains(p))) {
                    p = KafkaBroker.freePort();
                }
                ports.put(s, p);
                taken.add(p);
            }
            Map<Integer, List<String>> byPort = new LinkedHashMap<>();
            byPort.computeIfAbsent(kafkaPort, k -> new ArrayList<>()).add("kafka");
            services.forEach(s -> byPort.computeIfAbsent(ports.get(s), k -> new ArrayList<>()).add(s.module()));
            byPort.forEach((port, names) -> {
                if (names.size() > 1) {
                    throw new LocalStackException("port " + port + " given to more than one of " + names);
                }
            });
            return new LocalStack(this);
        }
    }
}
