package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.specification.RequestSpecification;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.RunConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the integration tests share: playing the trainer and splicer on the real broker, reading topics,
 * following server-sent event streams, waiting, and authenticated requests.
 */
final class ItSupport {
    static final String TOKEN = "test-token";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final EventCodec TRAINER = new EventCodec("/trainer-service");
    static final EventCodec SPLICER = new EventCodec("/splicer-service");
    static final EventCodec STATS = new EventCodec("/stats-service");
    static final EventCodec GATEWAY = new EventCodec("/gateway");
    static final RunConfig CONFIG = new RunConfig(null, null, null, 100, null, null, null, 50, null, null, null)
            .withDefaults();

    private static KafkaProducer<String, String> producer;

    private ItSupport() {
    }

    /** A request carrying the API token. */
    static RequestSpecification authed() {
        return given().header("X-Api-Token", TOKEN);
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    static void send(String topic, String key, String value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends an envelope on its type's topic, keyed by its subject; returns its id. */
    static String publish(Envelope envelope) {
        String topic = io.splicelab.model.events.EventType.ofType(envelope.type()).orElseThrow().topic();
        send(topic, envelope.subject(), EventCodec.toJson(envelope));
        return envelope.id();
    }

    static String newRunId(String prefix) {
        return "run-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Requests a run as a client of the trainer would, on {@code splicelab.run-commands} ({@link #CONFIG}), and waits
     * until the gateway knows it: the read model applies a run's events only once the run was requested.
     *
     * @return the id of the request's envelope (the first event of the run's stream)
     */
    static String requestRun(String runId) {
        String id = publish(GATEWAY.wrap(runId, new RunRequested(runId, CONFIG)));
        awaitRun(runId);
        return id;
    }

    /** A new run ({@link #newRunId}), requested ({@link #requestRun}) and then started by the trainer; returns its id. */
    static String startedRun(String prefix) {
        String runId = newRunId(prefix);
        requestRun(runId);
        publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
        return runId;
    }

    /** A checkpoint whose parameters file exists in the gateway's artifact store (1000 bytes, as announced). */
    static CheckpointCreated checkpoint(String runId, int step, int index) {
        String key = "runs/" + runId + "/checkpoints/step-" + step + ".params";
        writeArtifact(key, 1000);
        return new CheckpointCreated(runId, step, index, CONFIG, new NetworkSpec("resnet20", 1.0, 1, 28, 28, 10),
                new ArtifactRef("artifact:" + key, 1000, "ab" + step, "application/octet-stream"),
                2.0 - step / 100.0, step / 100.0);
    }

    /** Writes a text file under a key of the gateway's artifact store. */
    static void writeFile(String key, String content) {
        try {
            java.nio.file.Path file = java.nio.file.Path.of(ConfigProvider.getConfig()
                    .getValue("splicelab.artifacts.dir", String.class)).resolve(key);
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes a file of {@code size} bytes under a key of the gateway's artifact store. */
    static void writeArtifact(String key, int size) {
        try {
            java.nio.file.Path file = java.nio.file.Path.of(ConfigProvider.getConfig()
                    .getValue("splicelab.artifacts.dir", String.class)).resolve(key);
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, new byte[size]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static HybridEvaluated cell(String runId, String cut, String evalSet, int shallow, int deep, double accuracy) {
        return new HybridEvaluated(runId, cut, evalSet, "carry", "float32", shallow, deep, 500,
                Map.of("accuracy", accuracy, "agreementDeep", 0.9, "relativeAccuracy", accuracy / 0.9));
    }

    static ConsumerRecord<String, String> consumeUntil(String topic, Predicate<ConsumerRecord<String, String>> wanted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (wanted.test(r)) {
                        return r;
                    }
                }
            }
        }
        return fail("no matching record on " + topic + " within " + WAIT);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException | AssertionError e) {
                // not yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("timed out waiting for: " + what);
    }

    static void awaitRun(String runId) {
        await(() -> given().get("/api/runs/" + runId).statusCode() == 200, "run " + runId + " in the read model");
    }

    /** One server-sent event. */
    record SseEvent(String id, String event, String data) {
    }

    /** An open event stream, read by a daemon thread into a queue. */
    record SseClient(InputStream body, BlockingQueue<SseEvent> events) implements AutoCloseable {
        SseEvent next() throws InterruptedException {
            SseEvent e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (e == null) {
                fail("no server-sent event within " + WAIT);
            }
            return e;
        }

        /** Reads events until one with this id arrives (others, e.g. of other runs, are skipped). */
        SseEvent nextWithId(String id) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                SseEvent e = events.poll(1, TimeUnit.SECONDS);
                if (e != null && id.equals(e.id())) {
                    return e;
                }
            }
            return fail("event " + id + " did not arrive within " + WAIT);
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // closed
            }
        }
    }

    static SseClient openStream(URI base, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode(), path);
        org.junit.jupiter.api.Assertions.assertTrue(response.headers().firstValue("Content-Type").orElse("")
                .startsWith("text/event-stream"), path);
        BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readEvents(response.body(), events), "sse-reader " + path);
        reader.setDaemon(true);
        reader.start();
        return new SseClient(response.body(), events);
    }

    /** A minimal SSE parser: comment lines are skipped, a blank line ends an event. */
    private static void readEvents(InputStream body, BlockingQueue<SseEvent> out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null;) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        out.add(new SseEvent(id, event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    continue;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            // the test closed the stream
        }
    }
}
