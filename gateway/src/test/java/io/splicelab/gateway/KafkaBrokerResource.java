package io.splicelab.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.splicelab.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Starts a real single-node Kafka (KRaft) broker in a temporary directory for the gateway's integration test. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private Path dir;
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("gateway-it-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBroker.create(dir, 0).start(Duration.ofSeconds(90));
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
