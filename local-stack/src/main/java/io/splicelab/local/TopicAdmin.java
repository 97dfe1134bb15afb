package io.splicelab.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the public topics before any service starts, with enough partitions for scaling out (one run's events
 * stay on one partition; up to that many instances share a consumer group). Idempotent.
 */
public final class TopicAdmin {
    /** Partitions of every public topic. */
    public static final int PARTITIONS = 3;

    private TopicAdmin() {
    }

    /**
     * Creates the topics that do not exist yet and grows any with fewer partitions.
     *
     * @return the topics this call created
     */
    public static List<String> ensureTopics(String bootstrap, Collection<String> topics, int partitions,
            Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "splicelab-local-stack");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        long wait = timeout.toMillis();
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(wait, TimeUnit.MILLISECONDS);
            List<String> missing = topics.stream().filter(t -> !existing.contains(t)).distinct().toList();
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                var result = admin.createTopics(missing.stream()
                        .map(t -> new NewTopic(t, partitions, (short) 1)).toList());
                for (String t : missing) {
                    try {
                        result.values().get(t).get(wait, TimeUnit.MILLISECONDS);
                        created.add(t);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            List<String> present = topics.stream().filter(existing::contains).distinct().toList();
            if (!present.isEmpty()) {
                Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames()
                        .get(wait, TimeUnit.MILLISECONDS);
                Map<String, NewPartitions> grow = new LinkedHashMap<>();
                described.forEach((name, d) -> {
                    if (d.partitions().size() < partitions) {
                        grow.put(name, NewPartitions.increaseTo(partitions));
                    }
                });
                if (!grow.isEmpty()) {
                    admin.createPartitions(grow).all().get(wait, TimeUnit.MILLISECONDS);
                }
            }
            return created;
        } catch (ExecutionException e) {
            throw new LocalStackException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new LocalStackException("Kafka admin request timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }
}
