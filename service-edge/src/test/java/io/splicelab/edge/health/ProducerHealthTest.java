package io.splicelab.edge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ProducerHealthTest {
    private final Set<String> threads = new HashSet<>(Set.of("main",
            ProducerHealth.THREAD_PREFIX + "run-commands", ProducerHealth.THREAD_PREFIX + "dead-letters"));
    private final ProducerHealth health = new ProducerHealth(() -> Set.copyOf(threads));

    @Test
    void aFailedPublishIsDownUntilOneSucceeds() {
        assertTrue(health.up());
        health.failed("run-commands", new TimeoutException("no ack in 15s"));
        assertFalse(health.up());
        HealthCheckResponse down = health.call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertTrue(down.getData().orElseThrow().get("run-commands").toString().contains("no ack in 15s"));
        health.succeeded("run-commands");
        assertTrue(health.up());
    }

    @Test
    void aProducerWhoseIoThreadDiedIsDown() {
        assertTrue(health.up(), "both threads seen alive");
        threads.remove(ProducerHealth.THREAD_PREFIX + "dead-letters");
        assertEquals(Set.of("dead-letters"), health.problems().keySet());
        threads.add(ProducerHealth.THREAD_PREFIX + "dead-letters");
        assertTrue(health.up(), "a new producer (after a restart of the channel) is up again");
    }

    @Test
    void aProducerNotCreatedYetIsNoProblem() {
        ProducerHealth lazy = new ProducerHealth(() -> Set.of("main"));
        assertTrue(lazy.up());
    }
}
