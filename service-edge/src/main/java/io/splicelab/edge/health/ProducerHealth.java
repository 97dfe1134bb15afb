package io.splicelab.edge.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness of a service's Kafka producers, from what the connector does not see. SmallRye's Kafka connector
 * reports a channel not alive once its sink recorded a send failure, and not ready when the producer has no broker
 * connection (its metrics); neither notices a producer whose I/O thread died (an {@link OutOfMemoryError} in that
 * thread in the field): sends then only time out in the caller while the channel's health says UP. So every
 * publisher ({@code DeadLetterPublisher}, {@code ContractPublisher}) reports its outcome here and the check is DOWN while a channel's last publish failed (until one
 * succeeds) or while a channel's producer I/O thread ({@code kafka-producer-network-thread | kafka-producer-<channel>})
 * is gone once it had been seen. A service without outgoing channels has nothing to report and is UP. Reported by
 * {@link ProducerHealthCheck} (readiness check {@value #CHECK}).
 */
@ApplicationScoped
public class ProducerHealth {
    /** The name of the readiness check. */
    public static final String CHECK = "kafka-producers";
    /** The name of a producer's I/O thread ends with this and the channel name (SmallRye's default client id). */
    static final String THREAD_PREFIX = "kafka-producer-network-thread | kafka-producer-";

    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private final Set<String> threadSeen = ConcurrentHashMap.newKeySet();
    private final Supplier<Set<String>> threadNames;

    public ProducerHealth() {
        this(ProducerHealth::liveThreadNames);
    }

    ProducerHealth(Supplier<Set<String>> threadNames) {
        this.threadNames = threadNames;
    }

    /** A publish on the channel was acknowledged. */
    public void succeeded(String channel) {
        lastFailure.remove(channel);
    }

    /** A publish on the channel failed (not acknowledged in time, or refused). */
    public void failed(String channel, Throwable failure) {
        lastFailure.put(channel, Instant.now() + " " + (failure.getMessage() == null
                ? failure.getClass().getSimpleName() : failure.getClass().getSimpleName() + ": " + failure.getMessage()));
    }

    /** Whether every producer looks able to publish. */
    public boolean up() {
        return problems().isEmpty();
    }

    /** What is wrong, by channel (empty when up). */
    public Map<String, String> problems() {
        Map<String, String> out = new TreeMap<>(lastFailure);
        Set<String> names = threadNames.get();
        List<String> alive = names.stream().filter(n -> n.startsWith(THREAD_PREFIX))
                .map(n -> n.substring(THREAD_PREFIX.length())).toList();
        threadSeen.addAll(alive);
        for (String channel : threadSeen) {
            if (!alive.contains(channel)) {
                out.merge(channel, "the producer's I/O thread is gone", (a, b) -> a + "; " + b);
            }
        }
        return out;
    }

    /** The readiness response ({@link ProducerHealthCheck}). */
    public HealthCheckResponse call() {
        Map<String, String> problems = problems();
        HealthCheckResponseBuilder b = HealthCheckResponse.named(CHECK).status(problems.isEmpty());
        problems.forEach(b::withData);
        return b.build();
    }

    private static Set<String> liveThreadNames() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(threads, true);
        return java.util.Arrays.stream(threads, 0, n).filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
