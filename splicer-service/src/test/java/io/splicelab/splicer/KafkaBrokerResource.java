package io.splicelab.splicer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.splicelab.kafka.KafkaBroker;
import io.splicelab.model.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Starts a real Kafka broker (KRaft, own JVM) in a temporary directory for the integration tests, creates
 * the topics up front (a first poll of an unknown topic only logs errors) and points the service at it
 * and at a temporary artifact store; the checkpoints channel's throttled commit strategy gets a limit of 3 s on an
 * unacknowledged record, far below what a checkpoint's evaluation takes. An API token is configured, so the
 * endpoints that take it refuse a request without it.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    /** The API token the service is configured with ({@code splicelab.api.token}). */
    static final String API_TOKEN = "splicer-it-token";

    private Path dir;
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("splicer-it-");
            broker = KafkaBroker.create(dir.resolve("kafka"), 0).start(Duration.ofSeconds(90));
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                List<NewTopic> topics = Topics.ALL.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList();
                admin.createTopics(topics).all().get();
            }
            return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                    "splicelab.artifacts.dir", dir.resolve("artifacts").toString(),
                    "splicelab.splicer.spill-dir", dir.resolve("spill").toString(),
                    // far below what one checkpoint's evaluation takes here: the consumer must never wait for it
                    "mp.messaging.incoming.checkpoints.throttled.unprocessed-record-max-age.ms", "3000",
                    "splicelab.splicer.eval-sets", "test",
                    "splicelab.splicer.bn-modes", "carry",
                    "splicelab.splicer.device", "cpu",
                    "splicelab.splicer.progress-interval-ms", "500",
                    "splicelab.api.token", API_TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics", e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temporary directory: best effort
            }
        }
    }
}
