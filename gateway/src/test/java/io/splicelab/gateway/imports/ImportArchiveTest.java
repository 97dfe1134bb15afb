package io.splicelab.gateway.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.imports.InvalidManifestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportArchiveTest {
    static final long MB = 1024L * 1024;
    static final String MANIFEST = """
            {"run": "r", "step": 5, "numClasses": 10,
             "input": {"shape": [3, 32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
             "segments": [{"name": "stem", "file": "stem.onnx"}, {"name": "head", "file": "head.onnx"}],
             "cuts": ["stem"]}""";

    @TempDir
    Path dir;

    final ImportArchive.Limits limits = new ImportArchive.Limits(8, 16 * MB, 24 * MB, 64 * MB, 50);

    /** Writes a zip: each entry is either bytes or a number of zero bytes (streamed, never in memory). */
    Path zip(Object... nameAndContent) throws IOException {
        Path file = Files.createTempFile(dir, "test-", ".zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < nameAndContent.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) nameAndContent[i]));
                if (nameAndContent[i + 1] instanceof byte[] bytes) {
                    zip.write(bytes);
                } else {
                    writeZeros(zip, (Long) nameAndContent[i + 1]);
                }
                zip.closeEntry();
            }
        }
        return file;
    }

    static void writeZeros(OutputStream out, long n) throws IOException {
        byte[] zeros = new byte[1 << 20];
        for (long left = n; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    Path tmp() {
        return dir.resolve("work");
    }

    boolean tmpIsEmpty() throws IOException {
        if (!Files.exists(tmp())) {
            return true;
        }
        try (Stream<Path> s = Files.list(tmp())) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void aGoodArchiveIsInflatedToTemporaryFilesThatCloseDeletes() throws IOException {
        byte[] stem = OnnxFixtures.bytes("stem.onnx");
        Path zip = zip("ckpt/manifest.json", MANIFEST.getBytes(StandardCharsets.UTF_8), "ckpt/stem.onnx", stem,
                "ckpt/head.onnx", OnnxFixtures.bytes("head.onnx"));
        try (ImportArchive.Contents contents = ImportArchive.read(zip, tmp(), limits)) {
            assertEquals(5, contents.manifest().step());
            assertEquals(List.of(), contents.warnings());
            assertArrayEquals(stem, Files.readAllBytes(contents.files().get("stem.onnx")));
            assertTrue(contents.files().get("head.onnx").startsWith(tmp()), "inflated under the temporary directory");
        }
        assertTrue(tmpIsEmpty(), "deleted when closed");
    }

    @Test
    void anExportersManifestIsReadWithWarningsAndItsFilesAreChecked() throws IOException {
        byte[] manifest = OnnxFixtures.bytes("manifest.json");
        Path zip = zip("manifest.json", manifest, "stem.onnx", OnnxFixtures.bytes("stem.onnx"), "head.onnx",
                OnnxFixtures.bytes("head.onnx"));
        try (ImportArchive.Contents contents = ImportArchive.read(zip, tmp(), limits)) {
            assertEquals(List.of("exporter", "input.scale", "input.layout", "segments[0].source",
                    "segments[0].parameters", "segments[1].source"),
                    contents.warnings().stream().map(ImportManifest.Warning::field).toList());
        }
        Path other = zip("manifest.json", manifest, "stem.onnx", OnnxFixtures.bytes("stem.onnx"), "head.onnx",
                OnnxFixtures.withDocString(OnnxFixtures.bytes("head.onnx"), "trained further"));
        InvalidManifestException e = assertThrows(InvalidManifestException.class,
                () -> ImportArchive.read(other, tmp(), limits));
        assertTrue(e.getMessage().startsWith("segments[1].sha256: declared "), e.getMessage());
        assertTrue(tmpIsEmpty(), "nothing left behind");
    }

    @Test
    void aZipBombStopsAtTheExpansionRatioAndLeavesNothing() throws IOException {
        // about 100 KB expanding to 100 MB: stopped after 50 times the archive, long before the 24 MB total
        Path bomb = zip("manifest.json", MANIFEST.getBytes(StandardCharsets.UTF_8), "stem.onnx", 100 * MB);
        assertTrue(Files.size(bomb) < MB, "a small archive: " + Files.size(bomb));
        ImportArchive.ArchiveException e = assertThrows(ImportArchive.ArchiveException.class,
                () -> ImportArchive.read(bomb, tmp(), limits));
        assertTrue(e.tooLarge());
        assertTrue(e.getMessage().contains("expands more than 50 times"), e.getMessage());
        assertTrue(tmpIsEmpty(), "nothing left behind");
    }

    @Test
    void theFileTotalAndCountLimitsAreCountedWhileInflating() throws IOException {
        ImportArchive.Limits noRatio = new ImportArchive.Limits(3, 2 * MB, 3 * MB, 64 * MB, Long.MAX_VALUE);
        Path bigFile = zip("manifest.json", MANIFEST.getBytes(StandardCharsets.UTF_8), "stem.onnx", 3 * MB);
        ImportArchive.ArchiveException file = assertThrows(ImportArchive.ArchiveException.class,
                () -> ImportArchive.read(bigFile, tmp(), noRatio));
        assertTrue(file.tooLarge() && file.getMessage().contains("'stem.onnx' is larger than"), file.getMessage());

        Path bigTotal = zip("manifest.json", MANIFEST.getBytes(StandardCharsets.UTF_8), "stem.onnx", 2 * MB,
                "head.onnx", 2 * MB);
        ImportArchive.ArchiveException total = assertThrows(ImportArchive.ArchiveException.class,
                () -> ImportArchive.read(bigTotal, tmp(), noRatio));
        assertTrue(total.tooLarge() && total.getMessage().contains("uncompressed"), total.getMessage());

        Path many = zip("a", new byte[1], "b", new byte[1], "c", new byte[1], "d", new byte[1]);
        ImportArchive.ArchiveException count = assertThrows(ImportArchive.ArchiveException.class,
                () -> ImportArchive.read(many, tmp(), noRatio));
        assertTrue(count.tooLarge() && count.getMessage().contains("more than 3 files"), count.getMessage());
        assertTrue(tmpIsEmpty(), "nothing left behind");
    }

    @Test
    void unsafeNamesAndNonZipsAreRefused() throws IOException {
        Path slip = zip("../evil", new byte[1]);
        ImportArchive.ArchiveException e = assertThrows(ImportArchive.ArchiveException.class,
                () -> ImportArchive.read(slip, tmp(), limits));
        assertFalse(e.tooLarge());
        Path notZip = Files.writeString(dir.resolve("x.zip"), "hello");
        assertThrows(ImportArchive.ArchiveException.class, () -> ImportArchive.read(notZip, tmp(), limits));
        assertTrue(tmpIsEmpty());
    }

    @Test
    void theBodyIsSpooledToDiskUpToItsLimit() throws IOException {
        ImportArchive.Limits small = new ImportArchive.Limits(8, MB, MB, 1000, 50);
        Path spooled = ImportArchive.spool(new ByteArrayInputStream(random(1000)), tmp(), small);
        assertEquals(1000, Files.size(spooled));
        Files.delete(spooled);
        ImportArchive.ArchiveException e = assertThrows(ImportArchive.ArchiveException.class,
                () -> ImportArchive.spool(new ByteArrayInputStream(random(1001)), tmp(), small));
        assertTrue(e.tooLarge());
        assertTrue(tmpIsEmpty(), "the partial spool is deleted");
    }
}
