package io.splicelab.gateway.imports;

import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.imports.InvalidManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads an imported checkpoint from a zip: {@code manifest.json} and the segment files it names, either at the top
 * of the archive or in one directory. Safe against hostile archives, without ever holding a file in memory: the
 * request body is first copied to a temporary file ({@link #spool}, capped), then every entry is inflated, in a
 * streaming way, to its own temporary file, while the number of entries, the size of each file, the total
 * uncompressed size and the expansion ratio (uncompressed over compressed bytes, once past {@link #RATIO_FLOOR}) are
 * counted: a zip bomb stops at the first limit it crosses, having written at most the limit to disk. The sizes an
 * entry declares are not trusted. An entry whose name is absolute, has a {@code ..} component or a backslash is
 * refused (zip slip); entries are written under generated names, never under their own. The caller deletes the
 * {@link Contents} (a directory) when done, whatever happened.
 */
public final class ImportArchive {
    /** Below this many inflated bytes the expansion ratio is not judged (a small JSON compresses very well). */
    static final long RATIO_FLOOR = 1L << 20;
    /** The largest manifest read into memory. */
    static final long MAX_MANIFEST_BYTES = 1L << 20;

    private ImportArchive() {
    }

    /**
     * The limits on an archive.
     *
     * @param maxEntries the most files
     * @param maxFileBytes the largest file, uncompressed
     * @param maxTotalBytes the most bytes of all files, uncompressed
     * @param maxArchiveBytes the largest archive (the request body)
     * @param maxRatio the most uncompressed bytes per archive byte
     */
    public record Limits(int maxEntries, long maxFileBytes, long maxTotalBytes, long maxArchiveBytes, long maxRatio) {
    }

    /**
     * A validated import: its manifest, the warnings about the manifest's fields that were ignored, and every file
     * it names, by file name, as temporary files under {@code directory}, each checked against what the manifest
     * declares of it ({@link SegmentCheck}).
     */
    public record Contents(ImportManifest manifest, List<ImportManifest.Warning> warnings, Map<String, Path> files,
            Path directory) implements AutoCloseable {
        /** Deletes the temporary files. */
        @Override
        public void close() {
            deleteTree(directory);
        }
    }

    /** A problem with the archive itself (not with the manifest), for a 400 or, when too large, a 413. */
    public static class ArchiveException extends InvalidManifestException {
        private static final long serialVersionUID = 1L;
        private final boolean tooLarge;

        ArchiveException(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    /**
     * Copies a request body to a new temporary file under {@code tmpDir}, refusing (and deleting it) past
     * {@code limits.maxArchiveBytes()}.
     *
     * @return the file; the caller deletes it
     */
    public static Path spool(InputStream body, Path tmpDir, Limits limits) {
        Path file;
        try {
            Files.createDirectories(tmpDir);
            file = Files.createTempFile(tmpDir, "import-", ".zip");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file under " + tmpDir, e);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            copyLimited(body, out, limits.maxArchiveBytes(), () -> new ArchiveException("the archive is larger than "
                    + limits.maxArchiveBytes() + " bytes", true));
            return file;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new ArchiveException("the request body cannot be read: " + e.getMessage(), false);
        }
    }

    /**
     * Reads and validates an archive, inflating its files to a new temporary directory under {@code tmpDir}; on
     * any failure nothing is left behind.
     *
     * @throws ArchiveException when the archive is unsafe, too large or not a zip
     * @throws InvalidManifestException when the manifest is missing or invalid, names a missing file, or a file
     *     is not what the manifest declares
     */
    public static Contents read(Path zip, Path tmpDir, Limits limits) {
        Path dir;
        try {
            Files.createDirectories(tmpDir);
            dir = Files.createTempDirectory(tmpDir, "import-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory under " + tmpDir, e);
        }
        try {
            return readInto(zip, dir, limits);
        } catch (RuntimeException | Error e) {
            deleteTree(dir);
            throw e;
        }
    }

    private static Contents readInto(Path zip, Path dir, Limits limits) {
        Map<String, Path> entries = new LinkedHashMap<>();
        long archiveBytes;
        try {
            archiveBytes = Math.max(1, Files.size(zip));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] total = {0};
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                checkName(name);
                if (entry.isDirectory()) {
                    continue;
                }
                if (entries.size() >= limits.maxEntries()) {
                    throw new ArchiveException("the archive has more than " + limits.maxEntries() + " files", true);
                }
                if (entries.containsKey(name)) {
                    throw new ArchiveException("the archive holds '" + name + "' twice", false);
                }
                Path file = dir.resolve("entry-" + entries.size());
                entries.put(name, file);
                try (OutputStream out = Files.newOutputStream(file)) {
                    inflate(in, out, name, limits, total, archiveBytes);
                }
            }
        } catch (ZipException e) {
            throw new ArchiveException("the body is not a valid zip archive: " + e.getMessage(), false);
        } catch (IOException e) {
            throw new ArchiveException("the archive cannot be read: " + e.getMessage(), false);
        }
        if (entries.isEmpty()) {
            throw new ArchiveException("the body is not a zip archive with files (expected " + ImportManifest.FILE
                    + " and one ONNX file per segment)", false);
        }
        String base = baseDirectory(entries);
        Path manifestFile = entries.get(base + ImportManifest.FILE);
        ImportManifest.Parsed parsed;
        try {
            if (Files.size(manifestFile) > MAX_MANIFEST_BYTES) {
                throw new ArchiveException(ImportManifest.FILE + " is larger than " + MAX_MANIFEST_BYTES
                        + " bytes", true);
            }
            parsed = ImportManifest.read(Files.readAllBytes(manifestFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ImportManifest manifest = parsed.manifest();
        manifest.requireFiles(f -> entries.containsKey(base + f));
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(ImportManifest.FILE, manifestFile);
        for (ImportManifest.Segment s : manifest.segments()) {
            files.put(s.file(), entries.get(base + s.file()));
        }
        SegmentCheck.verify(manifest, files);
        return new Contents(manifest, parsed.warnings(), files, dir);
    }

    /** Refuses names that could escape a directory they were extracted to. */
    static void checkName(String name) {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")
                || (name.length() > 1 && name.charAt(1) == ':');
        for (String part : name.split("/")) {
            bad |= part.equals("..");
        }
        if (bad) {
            throw new ArchiveException("unsafe entry name in the archive: '" + name + "' (absolute, '..' or '\\')",
                    false);
        }
    }

    /** Inflates one entry, counting against every limit as the bytes come out. */
    private static void inflate(InputStream in, OutputStream out, String name, Limits limits, long[] total,
            long archiveBytes) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            total[0] += n;
            if (read > limits.maxFileBytes()) {
                throw new ArchiveException("'" + name + "' is larger than " + limits.maxFileBytes()
                        + " bytes uncompressed", true);
            }
            if (total[0] > limits.maxTotalBytes()) {
                throw new ArchiveException("the archive is larger than " + limits.maxTotalBytes()
                        + " bytes uncompressed", true);
            }
            if (total[0] > RATIO_FLOOR && total[0] / archiveBytes > limits.maxRatio()) {
                throw new ArchiveException("the archive expands more than " + limits.maxRatio()
                        + " times (a zip bomb?)", true);
            }
            out.write(buffer, 0, n);
        }
    }

    private static void copyLimited(InputStream in, OutputStream out, long max,
            java.util.function.Supplier<ArchiveException> tooLarge) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > max) {
                throw tooLarge.get();
            }
            out.write(buffer, 0, n);
        }
    }

    /** The directory holding manifest.json: the archive's top or one directory (the shallowest manifest). */
    private static String baseDirectory(Map<String, Path> entries) {
        String best = null;
        for (String name : entries.keySet()) {
            if (name.equals(ImportManifest.FILE) || name.endsWith("/" + ImportManifest.FILE)) {
                String dir = name.substring(0, name.length() - ImportManifest.FILE.length());
                if (best == null || dir.length() < best.length()) {
                    best = dir;
                }
            }
        }
        if (best == null) {
            throw new InvalidManifestException(ImportManifest.FILE + " is missing from the archive");
        }
        return best;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: a temporary file
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(ImportArchive::deleteQuietly);
        } catch (IOException e) {
            // best effort: temporary files
        }
    }
}
