package io.splicelab.local.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.kafka.StringClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * What the drills do to a running stack, the way a user or an attacker would: REST calls to the gateway with
 * the stack's token, records written straight to the public topics, reads of the dead-letter topic, the
 * services' health, and the run's hybrid cells and event stream as the gateway serves them. Knows nothing of
 * how the stack was started: it takes URLs, the bootstrap address and the token.
 */
public final class DrillKit implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String gateway;
    private final Map<String, String> healthUrls;
    private final String bootstrap;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final KafkaProducer<String, String> producer;

    /**
     * @param gateway the gateway's base URL
     * @param healthUrls service name to its base URL (its {@code /q/health} is read)
     * @param bootstrap Kafka bootstrap servers
     * @param token the API token
     */
    public DrillKit(String gateway, Map<String, String> healthUrls, String bootstrap, String token) {
        this.gateway = gateway;
        this.healthUrls = Map.copyOf(healthUrls);
        this.bootstrap = bootstrap;
        this.token = token;
        this.producer = StringClients.producer(bootstrap);
    }

    /** An HTTP answer: status, body and the time it took. */
    public record Answer(int status, String body, String contentType, Duration took) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }
    }

    /** A request to the gateway with the token; {@code body} may be null for a GET. */
    public Answer gateway(String method, String path, String contentType, byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(timeout)
                .header("X-Api-Token", token).header("Accept", "application/json");
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        Instant t0 = Instant.now();
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
                    Duration.between(t0, Instant.now()));
        } catch (IOException e) {
            return new Answer(-1, e.toString(), "", Duration.between(t0, Instant.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits a run; returns its id. */
    public String submit(String configJson) {
        Answer a = gateway("POST", "/api/runs", "application/json", configJson.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30));
        if (a.status() != 202) {
            throw new IllegalStateException("run refused: " + a.status() + " " + a.body());
        }
        return a.json().path("runId").asText();
    }

    /** The run as the gateway shows it ({@code GET /api/runs/{id}}); missing node for a 404. */
    public JsonNode run(String runId) {
        Answer a = gateway("GET", "/api/runs/" + runId, null, null, Duration.ofSeconds(30));
        return a.status() == 200 ? a.json() : JSON.missingNode();
    }

    /** Whether the gateway knows a run of that id at all. */
    public boolean gatewayKnows(String runId) {
        return gateway("GET", "/api/runs/" + runId, null, null, Duration.ofSeconds(30)).status() != 404;
    }

    /** Distinct hybrid cells (cut, evaluation set, BN mode, shallow step, deep step) the gateway serves. */
    public Set<String> cells(String runId) {
        Answer a = gateway("GET", "/api/runs/" + runId + "/hybrids?format=csv", null, null, Duration.ofSeconds(60));
        Set<String> keys = new HashSet<>();
        if (a.status() != 200) {
            return keys;
        }
        String[] lines = a.body().split("\n");
        if (lines.length == 0) {
            return keys;
        }
        List<String> header = List.of(lines[0].split(","));
        int[] at = Stream.of("cut", "evalSet", "bnMode", "shallowStep", "deepStep").mapToInt(header::indexOf)
                .toArray();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            StringBuilder k = new StringBuilder();
            for (int c : at) {
                k.append(c >= 0 && c < f.length ? f[c] : "?").append('|');
            }
            keys.add(k.toString());
        }
        return keys;
    }

    /** The checkpoint steps of a run as the gateway lists them. */
    public List<Integer> checkpointSteps(String runId) {
        Answer a = gateway("GET", "/api/runs/" + runId + "/checkpoints", null, null, Duration.ofSeconds(30));
        List<Integer> steps = new ArrayList<>();
        a.json().forEach(c -> steps.add(c.path("step").asInt()));
        return steps;
    }

    /**
     * Reads the run's event stream ({@code GET /api/runs/{id}/events}: stored events, then live ones) for
     * {@code window} and returns the events that repeat an earlier one exactly (same type and payload), each as
     * its type and payload.
     */
    public List<String> repeatedEvents(String runId, Duration window) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(gateway + "/api/runs/" + runId + "/events"))
                .header("Accept", "text/event-stream").build();
        List<String> events = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<Stream<String>> s = http.send(r, HttpResponse.BodyHandlers.ofLines());
                StringBuilder data = new StringBuilder();
                String[] type = {""};
                s.body().forEach(line -> {
                    if (line.startsWith("event:")) {
                        type[0] = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && data.length() > 0) {
                        synchronized (events) {
                            events.add(type[0] + " " + payloadOf(data.toString()));
                        }
                        data.setLength(0);
                    }
                });
            } catch (IOException | RuntimeException e) {
                // the window closed the stream
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "drill-sse-" + runId);
        reader.setDaemon(true);
        reader.start();
        sleep(window);
        reader.interrupt();
        synchronized (events) {
            Set<String> seen = new HashSet<>();
            return events.stream().filter(e -> !seen.add(e)).toList();
        }
    }

    /** The {@code data} of a CloudEvents envelope (ids and times differ between redeliveries). */
    private static String payloadOf(String sseData) {
        try {
            JsonNode n = JSON.readTree(sseData);
            JsonNode data = n.has("data") ? n.get("data") : n;
            return n.path("type").asText("") + data.toString();
        } catch (IOException e) {
            return sseData;
        }
    }

    /** Writes a record to a topic and waits for the broker's acknowledgement. */
    public void produce(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic + ": " + e, e);
        }
    }

    /** The current end offsets of a topic (to read what comes after). */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, String> c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return new HashMap<>(c.endOffsets(parts));
        }
    }

    /** A record read back: key, value and headers as text. */
    public record Read(String key, String value, Map<String, String> headers) {
    }

    /** Every record of a topic from the given offsets (absent partitions: from the start) until now. */
    public List<Read> readFrom(String topic, Map<TopicPartition, Long> from) {
        List<Read> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    Map<String, String> headers = new HashMap<>();
                    for (Header h : r.headers()) {
                        headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
                    }
                    out.add(new Read(r.key(), r.value(), headers));
                }
            }
        }
        return out;
    }

    private KafkaConsumer<String, String> consumer() {
        return StringClients.consumer(bootstrap, "drills-" + UUID.randomUUID()); // assigned and positioned by hand
    }

    /** Services whose {@code /q/health} is not UP (or does not answer). */
    public List<String> servicesDown() {
        List<String> down = new ArrayList<>();
        for (Map.Entry<String, String> e : healthUrls.entrySet()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(e.getValue() + "/q/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !JSON.readTree(r.body()).path("status").asText().equals("UP")) {
                    down.add(e.getKey() + " " + r.body().replaceAll("\\s+", " "));
                }
            } catch (IOException ex) {
                down.add(e.getKey() + " (no answer: " + ex.getMessage() + ")");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        return down;
    }

    /**
     * A service's memory figures from its health data (the {@code process-memory} check: heap, direct buffers,
     * resident set, now and peak), e.g. "heap peak 412 MB of 1024, direct 15 MB, RSS peak 1512 MB"; or why not.
     */
    public String memory(String service) {
        String url = healthUrls.get(service);
        if (url == null) {
            return "unknown service " + service;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(r.body()).path("checks")) {
                if (check.path("name").asText().equals("process-memory")) {
                    JsonNode d = check.path("data");
                    return String.format("heap peak %d MB of %d, direct %d MB, RSS peak %d MB",
                            d.path("heapPeakMb").asLong(), d.path("heapMaxMb").asLong(),
                            d.path("directUsedMb").asLong(), d.path("rssPeakMb").asLong());
                }
            }
            return "no process-memory check in its health";
        } catch (IOException ex) {
            return "no answer: " + ex.getMessage();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Waits until the condition holds; false if it did not within the timeout. */
    public static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(Duration.ofMillis(500));
        }
        return condition.getAsBoolean();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    /**
     * Waits for a run to end and its grid to fill (or the timeout), then measures it: the proof, in every drill
     * that sends a real run, that the consumers kept going.
     */
    public RunOutcome awaitRun(String runId, Duration timeout) {
        await(() -> TERMINAL.contains(run(runId).path("status").asText()), timeout);
        await(() -> {
            int k = checkpointSteps(runId).size();
            return k > 0 && cells(runId).size() >= k * k * Drills.CELLS_PER_PAIR;
        }, timeout);
        return outcome(runId);
    }

    /** Where a run stands now: status, checkpoints, expected and lost cells, repeated events. */
    public RunOutcome outcome(String runId) {
        String status = run(runId).path("status").asText("UNKNOWN");
        int k = checkpointSteps(runId).size();
        int expected = k * k * Drills.CELLS_PER_PAIR;
        int lost = Math.max(0, expected - cells(runId).size());
        return new RunOutcome(runId, status, k, expected, lost, repeatedEvents(runId, Duration.ofSeconds(4)));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
