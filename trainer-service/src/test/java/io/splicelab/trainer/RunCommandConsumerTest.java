package io.splicelab.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.edge.consume.RecordGate;
import io.splicelab.edge.deadletter.DeadLetter;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.model.events.Topics;
import io.splicelab.model.store.LocalArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile run commands are dead-lettered with the reason and never reach the run queue (nor the artifact
 * store); the command after them is processed.
 */
class RunCommandConsumerTest {
    @TempDir
    Path dir;

    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private RunQueue queue;
    private RunCommandConsumer consumer;
    private long offset;

    @BeforeEach
    void setUp() {
        queue = new RunQueue(new LocalArtifactStore(dir.resolve("artifacts")), null, 1);
        consumer = new RunCommandConsumer(queue, new RecordGate(deadLetters::add, new FatalErrors()));
    }

    @AfterEach
    void tearDown() {
        queue.stop();
    }

    private void send(String key, String type, String data) {
        String subject = key;
        consumer.onCommand(new ConsumerRecord<>(Topics.RUN_COMMANDS, 0, offset++, key, "{\"specversion\":\"1.0\","
                + "\"id\":\"c-" + offset + "\",\"source\":\"/gateway\",\"type\":\"io.splicelab.run." + type + "\","
                + "\"subject\":\"" + subject + "\",\"data\":" + data + "}"));
    }

    private String lastReason() {
        assertFalse(deadLetters.isEmpty(), "a dead letter");
        return deadLetters.get(deadLetters.size() - 1).reason();
    }

    @Test
    void aRunIdThatClimbsOutOfItsDirectoryIsDeadLetteredAndTheChannelGoesOn() throws Exception {
        send("../x", "requested", "{\"runId\":\"../x\",\"config\":{\"architecture\":\"mlp\",\"dataset\":\"synthetic\"}}");
        assertEquals(1, deadLetters.size());
        assertTrue(lastReason().contains("invalid run id '../x'"), lastReason());
        assertEquals(Topics.RUN_COMMANDS, deadLetters.get(0).sourceTopic());
        assertEquals(0L, deadLetters.get(0).offset());
        assertTrue(queue.active().isEmpty(), "never queued");
        assertFalse(Files.exists(dir.resolve("x")), "nothing written next to the store");

        send("run-2", "requested", "{\"runId\":\"run-2\",\"config\":{\"architecture\":\"no-such-net\"}}");
        assertTrue(lastReason().contains("invalid run configuration"), lastReason());
        send("run-3", "requested", "{\"runId\":\"run-3\"}");
        assertTrue(lastReason().contains("config is required"), lastReason());
        send("run-4", "started", "{\"runId\":\"run-4\"}");
        assertTrue(lastReason().contains("belongs on " + Topics.RUN_EVENTS), lastReason());
        send("run-5", "cancel-requested", "{\"runId\":\"../../etc\"}");
        assertTrue(lastReason().contains("invalid run id"), lastReason());
        assertEquals(5, deadLetters.size());

        send("run-6", "cancel-requested", "{\"runId\":\"run-6\",\"reason\":\"test\"}");
        assertEquals(5, deadLetters.size(), "a cancel request for an unknown run is handled, not dead-lettered");
    }
}
