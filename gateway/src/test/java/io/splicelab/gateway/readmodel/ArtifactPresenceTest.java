package io.splicelab.gateway.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's stored command (the trainer's started marker) is evidence of its request; nothing else is. */
class ArtifactPresenceTest {
    private static final RunConfig CONFIG = new RunConfig(null, null, null, 100, null, null, null, 50, null, null,
            null);

    @TempDir
    Path store;

    private void marker(String dir, String json) throws Exception {
        Path file = store.resolve("runs").resolve(dir).resolve("started.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    @Test
    void theStartedMarkerOfTheRunIsItsRequest() throws Exception {
        marker("r1", EventCodec.toJson(new RunRequested("r1", CONFIG)));
        RunRequested found = new ArtifactPresence(store).requested("r1").orElseThrow();
        assertEquals("r1", found.runId());
        assertEquals(100, found.config().steps());
    }

    @Test
    void noMarkerAForeignMarkerOrAnUnreadableOneIsNoRequest() throws Exception {
        ArtifactPresence presence = new ArtifactPresence(store);
        assertTrue(presence.requested("absent").isEmpty());
        marker("r2", EventCodec.toJson(new RunRequested("other", CONFIG)));
        assertTrue(presence.requested("r2").isEmpty(), "the marker names another run");
        marker("r3", "{not json");
        assertTrue(presence.requested("r3").isEmpty());
        assertTrue(presence.requested("../escape").isEmpty());
    }

    @Test
    void aMarkerThatIsALinkOutOfTheStoreIsNoRequest() throws Exception {
        Path outside = Files.createTempFile("started", ".json");
        try {
            Files.writeString(outside, EventCodec.toJson(new RunRequested("r4", CONFIG)));
            Files.createDirectories(store.resolve("runs/r4"));
            Files.createSymbolicLink(store.resolve("runs/r4/started.json"), outside);
            assertTrue(new ArtifactPresence(store).requested("r4").isEmpty());
        } finally {
            Files.deleteIfExists(outside);
        }
    }
}
