package io.splicelab.gateway.ingest;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the public topics when they are missing, so the gateway never depends on the broker's
 * auto-creation nor on which service happens to start first. Runs in the background and retries until
 * Kafka answers: the gateway starts (and reports not ready) while Kafka is still coming up.
 */
@ApplicationScoped
public class TopicBootstrap {
    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    private final String bootstrapServers;
    private final boolean enabled;
    private final int partitions;
    private final short replicationFactor;
    private volatile Thread worker;

    public TopicBootstrap(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "splicelab.topics.create", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "splicelab.topics.partitions", defaultValue = "3") int partitions,
            @ConfigProperty(name = "splicelab.topics.replication-factor", defaultValue = "1") short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.enabled = enabled;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        worker = new Thread(this::createUntilDone, "topic-bootstrap");
        worker.setDaemon(true);
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    private void createUntilDone() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                createMissing(Topics.ALL);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warnf("could not create the topics yet (%s); retrying", e.getMessage());
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Creates every topic of the list that does not exist yet. */
    void createMissing(List<String> topics) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replicationFactor)).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
