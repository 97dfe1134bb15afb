package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads a downloaded bundle's {@code manifest.json}, so {@code splicelab export} can say when it is not whole. */
final class BundleCheck {
    private BundleCheck() {
    }

    /** Why the bundle is incomplete (the manifest's reason), or null when it is whole. */
    static String truncation(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry manifest = file.getEntry("manifest.json");
            if (manifest == null) {
                return "it has no manifest.json (was the download cut?)";
            }
            JsonNode m = EventCodec.mapper().readTree(file.getInputStream(manifest));
            return m.path("truncated").asBoolean(false) ? m.path("reason").asText("(no reason given)") : null;
        }
    }
}
