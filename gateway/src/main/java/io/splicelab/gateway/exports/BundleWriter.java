package io.splicelab.gateway.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Streams bundle entries into a zip, one after the other, straight to the response, and ends with
 * {@code manifest.json}: what the bundle is, every entry with its size, and whether the byte budget cut it short.
 * The budget counts the bytes of the entries before compression; the entry that reaches it is cut there, the rest are
 * left out, and the manifest says so ({@code "truncated": true}, {@code reason}), so a client always gets a valid zip
 * and knows whether it is whole. Pure (no HTTP, no database), so the budget is unit-tested.
 */
public final class BundleWriter {
    /** The manifest's name, always the zip's last entry. */
    public static final String MANIFEST = "manifest.json";

    private final ObjectMapper json;
    private final long maxBytes;

    /** @param maxBytes the most bytes of entries (uncompressed) the bundle may hold */
    public BundleWriter(ObjectMapper json, long maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    /** What a bundle is of: {@code run}, {@code group}, ...; its id; its entries in order. */
    public record Bundle(String kind, String id, List<BundleEntry> entries) {
    }

    /** The budget was reached inside an entry. */
    static final class OverBudget extends IOException {
        OverBudget(long limit) {
            super("over the bundle budget of " + limit + " bytes (splicelab.exports.bundle.max-mb)");
        }
    }

    /** Writes the zip; the stream is finished but not closed. */
    public void write(Bundle bundle, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        ObjectNode manifest = json.createObjectNode();
        manifest.put("kind", bundle.kind());
        manifest.put("id", bundle.id());
        manifest.put("createdAt", Instant.now().toString());
        ArrayNode written = manifest.putArray("entries");
        Budget budget = new Budget(zip, maxBytes);
        String reason = null;
        for (BundleEntry entry : bundle.entries()) {
            zip.putNextEntry(new ZipEntry(entry.name()));
            long before = budget.used;
            try {
                entry.body().writeTo(budget);
            } catch (OverBudget e) {
                reason = entry.name() + " is cut at " + (budget.used - before) + " bytes and the entries after it "
                        + "are left out: " + e.getMessage();
            }
            zip.closeEntry();
            written.addObject().put("name", entry.name()).put("bytes", budget.used - before);
            if (reason != null) {
                break;
            }
        }
        manifest.put("truncated", reason != null);
        if (reason != null) {
            manifest.put("reason", reason);
        }
        manifest.put("maxBytes", maxBytes);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    /** Counts the bytes of the entries, refuses those past the budget, and never closes the zip. */
    private static final class Budget extends FilterOutputStream {
        private final long max;
        long used;

        Budget(OutputStream zip, long max) {
            super(zip);
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            if (used + 1 > max) {
                throw new OverBudget(max);
            }
            out.write(b);
            used++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long room = max - used;
            if (len > room) {
                out.write(b, off, (int) room);
                used += room;
                throw new OverBudget(max);
            }
            out.write(b, off, len);
            used += len;
        }

        @Override
        public void close() {
            // the zip stays open for the next entry
        }
    }
}
