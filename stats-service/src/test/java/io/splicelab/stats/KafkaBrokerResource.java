package io.splicelab.stats;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.splicelab.kafka.ScratchBroker;
import io.splicelab.model.events.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * Starts a real Kafka broker (KRaft, own JVM) in a temporary directory for the integration tests, creates
 * the topics up front (a first poll of an unknown topic only logs errors) and points the service at it
 * and at a temporary artifact store in the same directory.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    /** The API token the service runs with in the tests (the ad-hoc analyses need it). */
    public static final String API_TOKEN = "stats-it-token";

    private ScratchBroker kafka;

    @Override
    public Map<String, String> start() {
        kafka = ScratchBroker.start("stats-it-", Duration.ofSeconds(90));
        kafka.createTopics(Topics.ALL, 1);
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "splicelab.artifacts.dir", kafka.dir().resolve("artifacts").toString(), "splicelab.api.token", API_TOKEN);
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
