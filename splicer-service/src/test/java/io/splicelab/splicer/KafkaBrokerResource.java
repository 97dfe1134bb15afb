package io.splicelab.splicer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.splicelab.kafka.ScratchBroker;
import io.splicelab.model.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Starts a real Kafka broker (KRaft, own JVM) in a temporary directory for the integration tests
 * ({@link ScratchBroker}), creates the topics up front (a first poll of an unknown topic only logs errors) and
 * points the service at it and at a temporary artifact store; the checkpoints channel's throttled commit
 * strategy gets a limit of 3 s on an unacknowledged record, far below what a checkpoint's evaluation takes. An
 * API token is configured, so the endpoints that take it refuse a request without it.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    /** The API token the service is configured with ({@code splicelab.api.token}). */
    static final String API_TOKEN = "splicer-it-token";

    private ScratchBroker kafka;

    @Override
    public Map<String, String> start() {
        kafka = ScratchBroker.start("splicer-it-", Duration.ofSeconds(90));
        kafka.createTopics(Topics.ALL, 1);
        Path dir = kafka.dir();
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "splicelab.artifacts.dir", dir.resolve("artifacts").toString(),
                "splicelab.splicer.spill-dir", dir.resolve("spill").toString(),
                // far below what one checkpoint's evaluation takes here: the consumer must never wait for it
                "mp.messaging.incoming.checkpoints.throttled.unprocessed-record-max-age.ms", "3000",
                "splicelab.splicer.eval-sets", "test",
                "splicelab.splicer.bn-modes", "carry",
                "splicelab.splicer.device", "cpu",
                "splicelab.splicer.progress-interval-ms", "500",
                "splicelab.api.token", API_TOKEN);
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
