package io.splicelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fan-out of the gateway's live stream: a burst of result events published to Kafka reaches N clients of
 * {@code /api/events}. Prints the events per second delivered to all clients together and the latency from
 * publishing to receipt (median, p99, max), first with one client (the baseline: ingest alone), then with N.
 *
 * <pre>
 *   ./bench/run gateway --gateway http://127.0.0.1:8080 --bootstrap 127.0.0.1:9092   # a running stack (./splicelab up)
 *   ./bench/run gateway --bootstrap 127.0.0.1:9092 --start                          # start the packaged gateway here
 *   options: --clients 50  --events 1000  --start-jar gateway/target/quarkus-app/quarkus-run.jar
 *            --token TOKEN  (default: $SPLICELAB_API_TOKEN, else the file --token-file .splicelab/data/api-token;
 *                            with --start, the token the started gateway generated)
 * </pre>
 *
 * The events are {@code StatsComputed} results (analysis {@code bench-fanout}) of a run the bench first requests
 * through the API ({@code POST /api/runs} with the API token) and cancels at once, so that a trainer of a running
 * stack does not train it: the gateway applies only events of runs it knows (an event of a run nobody requested is
 * dead-lettered), so results for a made-up run id would never reach a client. The runs stay in that gateway's read
 * model (delete them through the API afterwards if it matters).
 */
public final class GatewayBench {
    private static final EventCodec CODEC = new EventCodec("/gateway-bench");

    private final String gateway;
    private final String token;
    private final KafkaProducer<String, String> producer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private GatewayBench(String gateway, String bootstrap, String token) {
        this.gateway = gateway.replaceAll("/+$", "");
        this.token = token;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        this.producer = new KafkaProducer<>(p);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        String bootstrap = a.get("bootstrap");
        if (bootstrap == null || (!a.containsKey("gateway") && !a.containsKey("start"))) {
            System.err.println("usage: bench/run gateway --bootstrap HOST:PORT (--gateway URL | --start) "
                    + "[--clients 50] [--events 1000] [--start-jar gateway/target/quarkus-app/quarkus-run.jar]");
            System.exit(2);
        }
        int clients = Integer.parseInt(a.getOrDefault("clients", "50"));
        int events = Integer.parseInt(a.getOrDefault("events", "1000"));
        Process started = null;
        String gateway = a.get("gateway");
        Path tokenFile = Path.of(a.getOrDefault("token-file", ".splicelab/data/api-token"));
        if (gateway == null) {
            int port = freePort();
            Path data = Files.createTempDirectory("gateway-bench");
            started = startGateway(Path.of(a.getOrDefault("start-jar", "gateway/target/quarkus-app/quarkus-run.jar")),
                    bootstrap, port, data);
            gateway = "http://127.0.0.1:" + port;
            tokenFile = data.resolve("api-token");
        }
        try {
            awaitReady(gateway, Duration.ofSeconds(120));
            GatewayBench bench = new GatewayBench(gateway, bootstrap, token(a.get("token"), tokenFile));
            BenchReport report = new BenchReport("gateway");
            report.line("gateway " + gateway + ", kafka " + bootstrap + ", burst of " + events
                    + " StatsComputed events");
            bench.round(report, "baseline, 1 client", 1, Math.min(events, 200), true);
            bench.round(report, clients + " clients", clients, events, false);
            report.write();
            bench.producer.close(Duration.ofSeconds(10));
        } finally {
            if (started != null) {
                started.destroy();
                started.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** One burst to {@code clients} clients; prints throughput and latency. */
    private void round(BenchReport report, String label, int clients, int events, boolean warmup) throws Exception {
        String runId = requestRun();
        List<Client> open = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            open.add(Client.open(http, gateway + "/api/events", runId, events));
        }
        for (Client c : open) {
            c.awaitConnected();
        }
        if (warmup) {
            Thread.sleep(500);
        }
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            Map<String, Object> values = new HashMap<>();
            values.put("seq", i);
            values.put("sentAtNanos", System.nanoTime());
            String json = CODEC.encode(runId, new StatsComputed(runId, "bench-fanout", "none", "bench", List.of(i),
                    "scalar", Map.of(), values));
            producer.send(new ProducerRecord<>(Topics.STATS_RESULTS, runId, json));
        }
        producer.flush();
        long published = System.nanoTime();
        boolean complete = true;
        for (Client c : open) {
            complete &= c.done.await(Math.max(60, events / 10), TimeUnit.SECONDS);
        }
        long end = open.stream().mapToLong(c -> c.lastReceipt).max().orElse(System.nanoTime());
        open.forEach(Client::close);

        long[] latencies = open.stream().flatMap(c -> c.latencies.stream()).mapToLong(Long::longValue).sorted().toArray();
        long delivered = latencies.length;
        double seconds = (end - start) / 1e9;
        report.line("-- " + label + (complete ? "" : " (INCOMPLETE: some clients missed events)"));
        report.figure(label + ": events published", events, "");
        report.figure(label + ": publish time", (published - start) / 1e6, "ms");
        report.figure(label + ": events delivered (all clients)", delivered, "");
        report.figure(label + ": delivered per second (all clients)", delivered / seconds, "events/s");
        report.figure(label + ": per client per second", delivered / seconds / clients, "events/s");
        if (latencies.length > 0) {
            report.figure(label + ": latency publish->receipt median", percentile(latencies, 0.5) / 1e6, "ms");
            report.figure(label + ": latency publish->receipt p99", percentile(latencies, 0.99) / 1e6, "ms");
            report.figure(label + ": latency publish->receipt max", latencies[latencies.length - 1] / 1e6, "ms");
        }
    }

    private static long percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * Requests a run through the API (so the gateway knows it and applies its results) and cancels it at once (a
     * trainer of a running stack must not train it); returns its id.
     */
    private String requestRun() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authed(gateway + "/api/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"evalSets\":[\"test\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /api/runs answered " + r.statusCode() + ": " + r.body()
                    + (r.statusCode() == 401 ? " (pass the API token: --token or --token-file)" : ""));
        }
        String runId = EventCodec.mapper().readTree(r.body()).path("runId").asText();
        HttpResponse<String> c = http.send(authed(gateway + "/api/runs/" + runId + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (c.statusCode() / 100 != 2 && c.statusCode() != 409) {
            throw new IllegalStateException("cancelling the bench run " + runId + " answered " + c.statusCode() + ": "
                    + c.body());
        }
        // the run exists for the read model once its request was read back from Kafka
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/runs/" + runId)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " did not appear in the read model");
            }
            Thread.sleep(100);
        }
        return runId;
    }

    private HttpRequest.Builder authed(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        return token == null ? b : b.header("X-Api-Token", token);
    }

    /** The API token: the option, else SPLICELAB_API_TOKEN, else the token file, else none. */
    private static String token(String option, Path file) throws IOException {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        String env = System.getenv("SPLICELAB_API_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
    }

    private static void awaitReady(String gateway, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the gateway at " + gateway + " is not ready after " + timeout);
    }

    /** One SSE client on its own connection and thread, recording the latency of every bench event. */
    private static final class Client {
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final CountDownLatch connected = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicInteger received = new AtomicInteger();
        volatile long lastReceipt;
        volatile Stream<String> lines;
        volatile Thread thread;

        static Client open(HttpClient http, String url, String runId, int expected) {
            Client c = new Client();
            c.thread = new Thread(() -> c.read(http, url, runId, expected), "sse-client");
            c.thread.setDaemon(true);
            c.thread.start();
            return c;
        }

        private void read(HttpClient http, String url, String runId, int expected) {
            try {
                HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
                lines = r.body();
                connected.countDown();
                lines.forEach(line -> {
                    if (!line.startsWith("data:") || !line.contains(runId)) {
                        return;
                    }
                    long now = System.nanoTime();
                    try {
                        JsonNode values = EventCodec.mapper().readTree(line.substring(5)).path("data").path("values");
                        if (!values.has("sentAtNanos")) {
                            return; // the run's own request and cancel
                        }
                        latencies.add(now - values.path("sentAtNanos").asLong());
                    } catch (IOException e) {
                        return;
                    }
                    lastReceipt = now;
                    if (received.incrementAndGet() >= expected) {
                        done.countDown();
                    }
                });
            } catch (IOException | InterruptedException | RuntimeException e) {
                connected.countDown();
            }
        }

        void awaitConnected() throws InterruptedException {
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("an SSE client could not connect");
            }
        }

        void close() {
            Stream<String> s = lines;
            if (s != null) {
                s.close();
            }
        }
    }

    private static Process startGateway(Path jar, String bootstrap, int port, Path data) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the gateway first (./mvnw -pl gateway package)");
        }
        Path log = data.resolve("gateway.log");
        List<String> cmd = new ArrayList<>(Arrays.asList(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Dkafka.bootstrap.servers=" + bootstrap, "-Dquarkus.http.port=" + port,
                "-Dsplicelab.data.dir=" + data, "-Dsplicelab.artifacts.dir=" + data.resolve("artifacts"),
                "-Dmp.messaging.incoming.results.group.id=gateway-bench-" + UUID.randomUUID(),
                "-jar", jar.toString()));
        System.out.println("starting the gateway on port " + port + " (log " + log + ")");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                out.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                out.put(key, args[++i]);
            } else {
                out.put(key, "true");
            }
        }
        return out;
    }
}
