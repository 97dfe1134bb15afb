package io.splicelab.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, one node), run from the
 * Maven artifacts in its own JVM so that its dependencies never mix with a service's. Used by the
 * local stack and by every integration test that claims a real broker. The broker's classpath is
 * resolved by Maven when this module is built.
 */
public final class KafkaBroker implements AutoCloseable {
    /** The default interface: the broker is reachable from this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String bindAddress;
    private final Path logFile;
    private volatile Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, String bindAddress) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.bindAddress = bindAddress;
        this.logFile = dir.resolve("kafka.log");
    }

    /** A broker with its data and log under dir, listening on 127.0.0.1:port (0 picks a free one). */
    public static KafkaBroker create(Path dir, int port) {
        return create(dir, port, LOOPBACK);
    }

    /**
     * A broker listening on {@code bindAddress:port}: {@code 127.0.0.1} keeps it on this machine; another address
     * (or {@code 0.0.0.0}, every interface) exposes it. The controller listener always stays on the loopback.
     */
    public static KafkaBroker create(Path dir, int port, String bindAddress) {
        String bind = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.trim();
        return new KafkaBroker(dir.toAbsolutePath(), port == 0 ? freePort() : port, freePort(), bind);
    }

    /** Where clients on this machine connect: the bind address, or the loopback when bound to every interface. */
    public String bootstrapServers() {
        return connectHost(bindAddress) + ":" + port;
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** The host to connect to for a listener bound to bindAddress (a wildcard is reached through the loopback). */
    public static String connectHost(String bindAddress) {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]") ? LOOPBACK
                : bindAddress;
    }

    /** The exit code of the broker's JVM once it has exited; -1 while it runs or before it started. */
    public int exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? -1 : p.exitValue();
    }

    /** Whether the broker's JVM is running (false before start, after close, and after it died). */
    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /**
     * Formats the storage when new, starts the broker and waits until it accepts connections. Called again after
     * the broker died, it starts a new broker on the same data, ports and log (the clients reconnect by themselves).
     */
    public KafkaBroker start(Duration timeout) {
        if (alive()) {
            throw new IllegalStateException("Kafka is already running (pid " + pid() + ")");
        }
        try {
            Files.createDirectories(dir);
            Path data = dir.resolve("data");
            Path props = writeConfig(data);
            Path log4j = writeLog4j();
            if (!Files.exists(data.resolve("meta.properties"))) {
                String clusterId = Base64Uuid.random();
                List<String> format = List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                        props.toString(), "--standalone", "--ignore-formatted");
                try {
                    run(format, log4j, Duration.ofSeconds(60));
                } catch (IllegalStateException first) {
                    // a storage format that fails once (a slow or crowded machine) gets one more try
                    Thread.sleep(1000);
                    run(format, log4j, Duration.ofSeconds(90));
                }
            }
            List<String> cmd = javaCommand(log4j, "-Xmx384m");
            cmd.add("kafka.Kafka");
            cmd.add(props.toString());
            long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            Process started = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            process = started;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!started.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + started.exitValue() + "; see " + logFile);
                }
                if (accepts(connectHost(bindAddress), port) && startedSince(logStart)) {
                    return this;
                }
                Thread.sleep(200);
            }
            close();
            throw new IllegalStateException("Kafka did not start within " + timeout + "; see " + logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the log written since offset (this start's part of it) says the server started. */
    private boolean startedSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(logFile);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8).contains("Kafka Server started");
    }

    /** The host the broker advertises: its bind address, or this machine's name when bound to every interface. */
    static String advertisedHost(String bindAddress) {
        if (!connectHost(bindAddress).equals(LOOPBACK) || bindAddress.equals(LOOPBACK)) {
            return bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
        }
        try {
            return java.net.InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.net.UnknownHostException e) {
            return LOOPBACK;
        }
    }

    private Path writeConfig(Path data) throws IOException {
        String listenHost = bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]"
                : bindAddress;
        String config = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://" + listenHost + ":" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + advertisedHost(bindAddress) + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "log.retention.hours=-1",
                "") ;
        Path props = dir.resolve("server.properties");
        Files.writeString(props, config);
        return props;
    }

    private Path writeLog4j() throws IOException {
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(file, String.join("\n", "status = warn", "appender.out.type = Console",
                "appender.out.name = out", "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n", "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = out", "logger.kafka.name = kafka", "logger.kafka.level = WARN",
                "logger.apache.name = org.apache.kafka", "logger.apache.level = WARN",
                "logger.started.name = kafka.server.KafkaRaftServer", "logger.started.level = INFO",
                "logger.state.name = state.change.logger", "logger.state.level = WARN", ""));
        return file;
    }

    private List<String> javaCommand(Path log4j, String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dlog4j2.configurationFile=" + log4j);
        cmd.add("-cp");
        cmd.add(brokerClasspath());
        return cmd;
    }

    private void run(List<String> mainAndArgs, Path log4j, Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = javaCommand(log4j, "-Xmx128m");
        cmd.addAll(mainAndArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Kafka storage format timed out; see " + logFile);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("Kafka storage format failed (exit " + p.exitValue() + "): "
                    + tail(logFile, 15));
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The classpath Maven resolved for the broker when this module was built. */
    static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("broker-classpath.txt")) {
            if (in == null) {
                throw new IllegalStateException("broker-classpath.txt missing: build the kafka-local module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates the topics, each with {@code partitions} partitions and one replica. Tests create the topics
     * they use up front because a consumer's first poll of an unknown topic only logs errors until the
     * broker auto-creates it. Uses the Kafka admin client, which the caller brings (every service has it).
     */
    public void createTopics(Collection<String> topics, int partitions) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + topics, e.getCause());
        }
    }

    /** A TCP port free right now on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the broker and waits for its JVM to exit, so no process is left behind. */
    @Override
    public void close() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. */
    static final class Base64Uuid {
        /** Never starting with '-': the storage tool would read such an id as an option (1 start in 64 failed). */
        static String random() {
            while (true) {
                UUID u = UUID.randomUUID();
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
                b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
                String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
                if (!id.startsWith("-")) {
                    return id;
                }
            }
        }
    }
}
