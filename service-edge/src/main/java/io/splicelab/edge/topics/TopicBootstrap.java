package io.splicelab.edge.topics;

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
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the public topics when they are missing ({@code splicelab.topics.create}, default true;
 * {@code splicelab.topics.partitions}, default 3; {@code splicelab.topics.replication-factor}, default 1), so
 * no service depends on the broker's auto-creation nor on which service happens to start first. Runs in the
 * background and retries until Kafka answers: the service starts (and reports not ready) while Kafka is
 * still coming up. Existing topics are never changed. {@link #createMissing} is also usable without CDI (the
 * local stack's launcher).
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
                createMissing(bootstrapServers, Topics.ALL, partitions, replicationFactor);
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

    /**
     * Creates every topic of the list that does not exist yet (one that another process creates meanwhile is
     * fine).
     *
     * @return the topics this call created
     */
    public static List<String> createMissing(String bootstrapServers, List<String> topics, int partitions,
            short replicationFactor) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replicationFactor)).toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            try {
                admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
