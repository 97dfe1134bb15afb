package io.splicelab.gateway.imports;

import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.imports.InvalidManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads an imported checkpoint from a zip: {@code manifest.json} and the segment files it names, either at the top
 * of the archive or in one directory. Safe against hostile archives: an entry whose name is absolute, has a
 * {@code ..} component or a backslash is refused (zip slip), and the number of entries, the size of each file and
 * the total uncompressed size are capped while reading (the sizes an entry declares are not trusted). Nothing is
 * written anywhere: the files stay in memory until they have all been validated.
 */
public final class ImportArchive {
    private ImportArchive() {
    }

    /** The limits on an archive. */
    public record Limits(int maxEntries, long maxFileBytes, long maxTotalBytes) {
    }

    /** A validated import: its manifest and every file it names, by file name. */
    public record Contents(ImportManifest manifest, Map<String, byte[]> files) {
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
     * Reads and validates an archive.
     *
     * @throws ArchiveException when the archive is unsafe, too large or not a zip
     * @throws InvalidManifestException when the manifest is missing, invalid or names a missing file
     */
    public static Contents read(InputStream zip, Limits limits) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
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
                byte[] content = readLimited(in, name, limits.maxFileBytes(), limits.maxTotalBytes() - total);
                total += content.length;
                if (entries.put(name, content) != null) {
                    throw new ArchiveException("the archive holds '" + name + "' twice", false);
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
        ImportManifest manifest = ImportManifest.parse(entries.get(base + ImportManifest.FILE));
        manifest.requireFiles(f -> entries.containsKey(base + f));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(ImportManifest.FILE, entries.get(base + ImportManifest.FILE));
        for (ImportManifest.Segment s : manifest.segments()) {
            files.put(s.file(), entries.get(base + s.file()));
        }
        return new Contents(manifest, files);
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

    private static byte[] readLimited(InputStream in, String name, long maxFile, long remaining) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > maxFile) {
                throw new ArchiveException("'" + name + "' is larger than " + maxFile + " bytes uncompressed", true);
            }
            if (read > remaining) {
                throw new ArchiveException("the archive is larger than the limit uncompressed", true);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The directory holding manifest.json: the archive's top or one directory (the shallowest manifest). */
    private static String baseDirectory(Map<String, byte[]> entries) {
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
}
