package io.splicelab.onnx;

import io.splicelab.model.imports.ImportManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An exported checkpoint: its manifest and its files by name ({@code manifest.json} first, then one ONNX file per
 * segment), as {@code POST /api/imports} takes them zipped. The zip is the same bytes for the same checkpoint (fixed
 * entry times), so exporting twice and importing both is the same import, not a conflicting one.
 *
 * @param manifest the manifest, validated
 * @param files every file of the export by its name in the zip
 */
public record ExportedCheckpoint(ImportManifest manifest, Map<String, byte[]> files) {
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    public ExportedCheckpoint {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** The segment files' bytes in the manifest's segment order. */
    public java.util.List<byte[]> segmentFiles() {
        return manifest.segments().stream().map(s -> files.get(s.file())).toList();
    }

    /** The files as a zip, at its top level. */
    public byte[] zip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeZip(out);
        return out.toByteArray();
    }

    /** Writes the files as a zip, at its top level; the stream stays open. */
    public void writeZip(OutputStream out) {
        try {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export's zip", e);
        }
    }
}
