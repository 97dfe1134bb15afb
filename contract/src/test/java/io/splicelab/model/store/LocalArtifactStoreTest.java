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
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.put("../outside", new byte[1], "x"));
        store.put("runs/r2/x", new byte[1], "x");
        store.put("runs/r3/x", new byte[1], "x");
        store.deleteAll("runs/r2");
        assertFalse(store.exists("runs/r2/x"));
        assertTrue(store.exists("runs/r3/x"));
    }

    @Test
    void hostileKeysAreRefusedNamingTheReferenceBeforeAnyRead() throws Exception {
        Path root = Files.createDirectory(dir.resolve("store"));
        Files.writeString(dir.resolve("secret"), "outside");
        LocalArtifactStore store = new LocalArtifactStore(root);
        for (String key : List.of("../secret", "runs/../../secret", "/etc/passwd", "runs/./x", "runs//x", "runs\\x",
                "runs/x\n", "", "..")) {
            UnsafeArtifactReferenceException e = assertThrows(UnsafeArtifactReferenceException.class,
                    () -> store.read(key), key);
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
            assertThrows(UnsafeArtifactReferenceException.class, () -> store.put(key, new byte[1], "x"), key);
        }
        UnsafeArtifactReferenceException up = assertThrows(UnsafeArtifactReferenceException.class,
                () -> store.get(new ArtifactRef("artifact:../secret", 7, LocalArtifactStore.sha256(
                        "outside".getBytes(StandardCharsets.UTF_8)), "x")));
        assertTrue(up.getMessage().contains("artifact:../secret"), "names the reference: " + up.getMessage());
        assertEquals("outside", Files.readString(dir.resolve("secret")), "nothing outside was touched");
    }

    @Test
    void aReferenceToADirectoryIsRefusedAsSuch() {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        store.put("runs/r1/checkpoints/step-00000001.params", new byte[] {1}, "x");
        UnsafeArtifactReferenceException e = assertThrows(UnsafeArtifactReferenceException.class,
                () -> store.get(new ArtifactRef("artifact:runs", 4096, "00", "x")));
        assertTrue(e.getMessage().contains("artifact:runs") && e.getMessage().contains("directory"), e.getMessage());
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.read("runs/r1"));
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.put("runs/r1", new byte[1], "x"),
                "a directory is never replaced by an artifact");
        assertFalse(store.exists("runs/r1"));
    }

    @Test
    void aSymbolicLinkOutOfTheStoreIsNeverFollowed() throws Exception {
        Path passwd = Path.of("/etc/passwd");
        LocalArtifactStore store = new LocalArtifactStore(dir);
        Files.createDirectories(dir.resolve("runs/r1"));
        Files.createSymbolicLink(dir.resolve("runs/r1/stolen.params"), passwd);
        Files.createSymbolicLink(dir.resolve("runs/etc"), Path.of("/etc"));
        long size = Files.size(passwd);
        String sha = LocalArtifactStore.sha256(Files.readAllBytes(passwd));

        UnsafeArtifactReferenceException file = assertThrows(UnsafeArtifactReferenceException.class,
                () -> store.get(new ArtifactRef("artifact:runs/r1/stolen.params", size, sha, "x")));
        assertTrue(file.getMessage().contains("artifact:runs/r1/stolen.params")
                && file.getMessage().contains("outside"), file.getMessage());
        assertThrows(UnsafeArtifactReferenceException.class,
                () -> store.get(new ArtifactRef("artifact:runs/etc/passwd", size, sha, "x")), "a linked directory");
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.read("runs/etc/passwd"));
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.exists("runs/etc/passwd"));
        assertThrows(UnsafeArtifactReferenceException.class,
                () -> store.put("runs/etc/splicelab-test", new byte[1], "x"), "never written through a link either");
        assertFalse(Files.exists(Path.of("/etc/splicelab-test")));
        assertEquals(List.of(), store.list("runs/r1"), "a link is not listed");
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.list("runs/etc"));
        store.deleteAll("runs/r1");
        assertTrue(Files.exists(passwd), "deleting a run removes the link, never its target");
    }

    @Test
    void aLongerFileThanAnnouncedIsRefusedBeforeItIsRead() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        ArtifactRef ref = store.put("runs/r1/a.bin", new byte[] {1, 2}, "x");
        Files.write(dir.resolve("runs/r1/a.bin"), new byte[1 << 20]);
        ArtifactIntegrityException e = assertThrows(ArtifactIntegrityException.class, () -> store.get(ref));
        assertTrue(e.getMessage().contains("expected 2"), e.getMessage());
    }

    @Test
    void runArtifactKeysRefuseHostileRunIdsAndNames() {
        assertEquals("runs/run-0a1b/checkpoints/step-00000010.params", RunArtifacts.checkpointParams("run-0a1b", 10));
        for (String runId : List.of("../x", "..", "a/b", "/etc", "", "a..b", "-x", "x\n", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> RunArtifacts.runPrefix(runId), runId);
            assertThrows(IllegalArgumentException.class, () -> RunArtifacts.checkpointManifest(runId, 1), runId);
        }
        assertThrows(IllegalArgumentException.class, () -> RunArtifacts.runPrefix(null));
        assertThrows(IllegalArgumentException.class, () -> RunArtifacts.featureSnapshot("r1", 1, "../test"));
        assertThrows(IllegalArgumentException.class, () -> RunArtifacts.importedFile("r1", 1, "../../x.onnx"));
        assertEquals("runs/r1/imports/step-00000001/stem.onnx", RunArtifacts.importedFile("r1", 1, "stem.onnx"));
    }

    @Test
    void aDerivedArtifactIsReplacedWholeAndAtomically() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir);
        String key = "runs/r1/predictions/stage1/test/carry/shallow-00000000-deep-00000010.npz";
        ArtifactRef first = store.replace(key, new byte[] {1, 2, 3}, "x");
        assertArrayEquals(new byte[] {1, 2, 3}, store.get(first));
        assertEquals(first, store.replace(key, new byte[] {1, 2, 3}, "x"), "the same content again: the same artifact");
        ArtifactRef second = store.replace(key, new byte[] {4, 5}, "x");
        assertArrayEquals(new byte[] {4, 5}, store.read(key), "other content replaces the file (a recomputed cell)");
        assertArrayEquals(new byte[] {4, 5}, store.get(second));
        assertEquals(List.of(key), store.list("runs/r1"), "no temporary file is left beside it");
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.replace("../outside", new byte[1], "x"));
        assertThrows(UnsafeArtifactReferenceException.class, () -> store.replace("runs/r1", new byte[1], "x"),
                "a directory is never replaced");
        Files.createSymbolicLink(dir.resolve("runs/etc"), Path.of("/etc"));
        assertThrows(UnsafeArtifactReferenceException.class,
                () -> store.replace("runs/etc/splicelab-test", new byte[1], "x"), "never written through a link");
        assertFalse(Files.exists(Path.of("/etc/splicelab-test")));
    }

    @Test
    void predictionKeysComeFromTheCellsNaturalKeyAndCannotLeaveTheRun() {
        assertEquals("runs/r1/predictions/stage1/fog-3/carry/shallow-00000100-deep-00000200.npz",
                RunArtifacts.hybridPredictions("r1", "stage1", "fog-3", "carry", 100, 200));
        String hostile = RunArtifacts.hybridPredictions("r1", "../../../etc", "a/b", "..", 0, 0);
        assertTrue(hostile.startsWith("runs/r1/predictions/_"), hostile);
        assertEquals(7, hostile.split("/").length, "one segment per name: " + hostile);
        for (String segment : hostile.split("/")) {
            assertFalse(segment.isEmpty() || segment.equals("..") || segment.equals("."), hostile);
        }
        assertEquals(RunArtifacts.keyName("a/b"), RunArtifacts.keyName("a/b"), "deterministic");
        assertFalse(RunArtifacts.keyName("a/b").equals(RunArtifacts.keyName("a_b")));
        assertEquals("_", RunArtifacts.keyName(null).substring(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RunArtifacts.hybridPredictions("../x", "c", "t", "m", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RunArtifacts.hybridPredictions("r1", "c", "t", "m", -1, 0));
        LocalArtifactStore store = new LocalArtifactStore(dir);
        store.replace(hostile, new byte[1], "x");
        assertEquals(List.of(hostile), store.list("runs/r1"), "a hashed name stays inside its run");
    }
}
