package io.splicelab.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configures a {@link LocalStack}; every setting has a default, so {@code LocalStack.builder().build()} is the
 * standard stack: all four services on their usual ports, on the loopback, supervised.
 */
public final class LocalStackBuilder {
    Path repo;
    Path stackDir;
    boolean fresh;
    Path djlCacheDir;
    String bindAddress;
    int kafkaPort = LocalStack.DEFAULT_KAFKA_PORT;
    Set<Service> services = EnumSet.allOf(Service.class);
    final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    final Map<Service, String> heaps = new EnumMap<>(Service.class);
    final Map<Service, Map<String, String>> properties = new EnumMap<>(Service.class);
    final Map<Service, List<String>> jvmArgs = new EnumMap<>(Service.class);
    RestartPolicy restartPolicy = new RestartPolicy();
    Duration superviseEvery = Duration.ofSeconds(2);
    Duration readyTimeout = LocalStack.DEFAULT_READY_TIMEOUT;
    Duration kafkaTimeout = Duration.ofSeconds(90);
    boolean shutdownHook = true;
    PrintStream out = System.out;

    LocalStackBuilder() {
        for (Service s : Service.values()) {
            ports.put(s, s.defaultPort());
            heaps.put(s, s.defaultHeap());
        }
    }

    /** The repository root (default: {@link StackLayout#findRepo()}). */
    public LocalStackBuilder repo(Path repo) {
        this.repo = repo.toAbsolutePath().normalize();
        return this;
    }

    /** Where Kafka's data, the artifacts, the databases and the logs go (default {@code <repo>/.splicelab}). */
    public LocalStackBuilder stackDir(Path dir) {
        this.stackDir = dir.toAbsolutePath().normalize();
        return this;
    }

    /** A new stack directory for this run, {@code <repo>/.splicelab/runs/<timestamp>} (ignored after stackDir). */
    public LocalStackBuilder freshStackDir(boolean fresh) {
        this.fresh = fresh;
        return this;
    }

    /**
     * DJL's native cache (~430 MB once extracted); default {@code <stack dir>/djl-cache}, or
     * {@code <repo>/.splicelab/djl-cache} for a fresh stack directory so it is extracted only once.
     */
    public LocalStackBuilder djlCacheDir(Path dir) {
        this.djlCacheDir = dir.toAbsolutePath().normalize();
        return this;
    }

    /**
     * The interface every service and Kafka listen on (default {@code $SPLICELAB_BIND}, else {@code 127.0.0.1}:
     * this machine only); {@code 0.0.0.0} exposes the stack on every interface.
     */
    public LocalStackBuilder bindAddress(String address) {
        this.bindAddress = address;
        return this;
    }

    /** Kafka's port (default 9092; 0 picks a free one). */
    public LocalStackBuilder kafkaPort(int port) {
        this.kafkaPort = port;
        return this;
    }

    /** A service's HTTP port (defaults 8081 trainer, 8082 splicer, 8083 stats, 8080 gateway; 0 picks a free one). */
    public LocalStackBuilder port(Service service, int port) {
        ports.put(service, port);
        return this;
    }

    public LocalStackBuilder gatewayPort(int port) {
        return port(Service.GATEWAY, port);
    }

    /** Free ports for Kafka and every service, picked at {@link #build()}: for tests and parallel stacks. */
    public LocalStackBuilder randomPorts() {
        kafkaPort = 0;
        for (Service s : Service.values()) {
            ports.put(s, 0);
        }
        return this;
    }

    /** The services to start (default all four); Kafka always starts. */
    public LocalStackBuilder services(Service... services) {
        this.services = services.length == 0 ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(List.of(services));
        return this;
    }

    /** A service's {@code -Xmx} value, e.g. {@code 512m}. */
    public LocalStackBuilder heap(Service service, String xmx) {
        heaps.put(service, xmx);
        return this;
    }

    /** An extra system property for one service (e.g. a small batch size in tests); later values win. */
    public LocalStackBuilder systemProperty(Service service, String key, String value) {
        properties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    /** Extra system properties for one service. */
    public LocalStackBuilder systemProperties(Service service, Map<String, String> props) {
        props.forEach((k, v) -> systemProperty(service, k, v));
        return this;
    }

    /** An extra system property for every service. */
    public LocalStackBuilder systemPropertyForAll(String key, String value) {
        for (Service s : Service.values()) {
            systemProperty(s, key, value);
        }
        return this;
    }

    /**
     * Extra JVM options for one service, placed right after {@code -Xmx}, before the service's default options
     * ({@link Service#defaultJvmOptions()}) and the system properties (e.g. {@code -XX:MaxDirectMemorySize=2g}).
     */
    public LocalStackBuilder jvmArgs(Service service, String... args) {
        jvmArgs.computeIfAbsent(service, s -> new ArrayList<>()).addAll(List.of(args));
        return this;
    }

    /** When children are restarted (default {@link RestartPolicy#RestartPolicy()}); null: not supervised. */
    public LocalStackBuilder restartPolicy(RestartPolicy policy) {
        this.restartPolicy = policy;
        return this;
    }

    /** How often the supervisor looks at the children (default 2 s). */
    public LocalStackBuilder superviseEvery(Duration every) {
        this.superviseEvery = every;
        return this;
    }

    /** How long to wait for every service's {@code /q/health/ready} (default 180 s). */
    public LocalStackBuilder readyTimeout(Duration timeout) {
        this.readyTimeout = timeout;
        return this;
    }

    /** How long to wait for Kafka to start (default 90 s). */
    public LocalStackBuilder kafkaTimeout(Duration timeout) {
        this.kafkaTimeout = timeout;
        return this;
    }

    /** Whether a JVM shutdown hook stops the stack on Ctrl-C (default true). */
    public LocalStackBuilder shutdownHook(boolean install) {
        this.shutdownHook = install;
        return this;
    }

    /** Where progress messages go (default System.out). */
    public LocalStackBuilder out(PrintStream out) {
        this.out = out;
        return this;
    }

    /** Resolves the repository, the directories, the bind address and any port 0; starts nothing. */
    public LocalStack build() {
        Path r = repo == null ? StackLayout.findRepo() : repo;
        Path dir = stackDir != null ? stackDir
                : fresh ? StackLayout.freshStackDir(r) : StackLayout.defaultStackDir(r);
        Path cache = djlCacheDir != null ? djlCacheDir
                : fresh && stackDir == null ? StackLayout.defaultStackDir(r).resolve("djl-cache")
                : dir.resolve("djl-cache");
        String bind = bindAddress == null || bindAddress.isBlank() ? StackPorts.defaultBindAddress() : bindAddress;
        StackPorts resolved = StackPorts.resolve(bind, kafkaPort, ports, services);
        return new LocalStack(this, new StackLayout(r, dir, cache), resolved);
    }
}
