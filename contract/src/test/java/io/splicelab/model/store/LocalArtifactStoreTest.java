package io.splicelab.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.ArtifactRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
    @TempDir
    Path dir;

    @Test
    void writesOnceAndReadsBackVerified() {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        byte[] content = "parameters".getBytes(StandardCharsets.UTF_8);
        ArtifactRef ref = store.put("runs/r1/checkpoints/step-1.params", content, "application/octet-stream");
        assertEquals("artifact:runs/r1/checkpoints/step-1.params", ref.uri());
        assertEquals(content.length, ref.size());
        assertEquals(LocalArtifactStore.sha256(content), ref.sha256());
        assertEquals(64, ref.sha256().length());
        assertArrayEquals(content, store.get(ref));
        assertEquals(ref, store.put("runs/r1/checkpoints/step-1.params", content, "application/octet-stream"),
                "the same content again is the same artifact");
        assertThrows(ArtifactIntegrityException.class,
                () -> store.put("runs/r1/checkpoints/step-1.params", "other".getBytes(StandardCharsets.UTF_8), "x"),
                "other content under a published key is refused");
        assertArrayEquals(content, store.get(ref), "and the original is untouched");
        assertEquals(List.of("runs/r1/checkpoints/step-1.params"), store.list("runs/r1"));
    }

    @Test
    void detectsTamperingTruncationAndMissingFiles() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        ArtifactRef ref = store.put("a/b.bin", new byte[] {1, 2, 3, 4}, "x");
        Files.write(dir.resolve("a/b.bin"), new byte[] {1, 2, 3, 5});
        assertThrows(ArtifactIntegrityException.class, () -> store.get(ref));
        Files.write(dir.resolve("a/b.bin"), new byte[] {1, 2, 3});
        assertThrows(ArtifactIntegrityException.class, () -> store.get(ref));
        Files.delete(dir.resolve("a/b.bin"));
        assertThrows(ArtifactIntegrityException.class, () -> store.get(ref));
        assertThrows(ArtifactIntegrityException.class,
                () -> store.get(new ArtifactRef("file:/etc/passwd", 1, "00", "x")));
    }

    @Test
    void keysCannotEscapeTheStoreAndRunsCanBeDeleted() {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        assertThrows(IllegalArgumentException.class, () -> store.put("../outside", new byte[1], "x"));
        store.put("runs/r2/x", new byte[1], "x");
        store.put("runs/r3/x", new byte[1], "x");
        store.deleteAll("runs/r2");
        assertFalse(store.exists("runs/r2/x"));
        assertTrue(store.exists("runs/r3/x"));
    }
}
