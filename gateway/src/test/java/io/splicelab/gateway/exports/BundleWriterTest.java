package io.splicelab.gateway.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class BundleWriterTest {
    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    static BundleEntry text(String name, String text) {
        return new BundleEntry(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] write(long budget, List<BundleEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BundleWriter(EventCodec.mapper(), budget).write(new BundleWriter.Bundle("run", "r1", entries), out);
        return out.toByteArray();
    }

    @Test
    void everyEntryThenTheManifest() throws IOException {
        Map<String, String> files = unzip(write(1000, List.of(text("a.json", "{}"), text("b.csv", "x\n1\n")
                .under("runs/r1/"))));
        assertEquals(List.of("a.json", "runs/r1/b.csv", "manifest.json"), List.copyOf(files.keySet()));
        assertEquals("x\n1\n", files.get("runs/r1/b.csv"));
        JsonNode manifest = EventCodec.mapper().readTree(files.get("manifest.json"));
        assertEquals("run", manifest.path("kind").asText());
        assertEquals("r1", manifest.path("id").asText());
        assertFalse(manifest.path("truncated").asBoolean());
        assertEquals(4, manifest.path("entries").get(1).path("bytes").asInt());
    }

    @Test
    void theBudgetCutsTheEntryThatReachesItAndLeavesTheRestOut() throws IOException {
        Map<String, String> files = unzip(write(10, List.of(text("a", "123456"), text("b", "abcdefgh"),
                text("c", "never"))));
        assertEquals(List.of("a", "b", "manifest.json"), List.copyOf(files.keySet()));
        assertEquals("abcd", files.get("b"));
        JsonNode manifest = EventCodec.mapper().readTree(files.get("manifest.json"));
        assertTrue(manifest.path("truncated").asBoolean());
        assertTrue(manifest.path("reason").asText().startsWith("b is cut at 4 bytes"), manifest.toString());
        assertEquals(4, manifest.path("entries").get(1).path("bytes").asInt());
    }

    @Test
    void aJsonEntryOverTheBudgetStillGivesAValidZip() throws IOException {
        BundleEntry big = new BundleEntry("big.json", out -> EventCodec.mapper().writer()
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, java.util.Collections.nCopies(10_000, "value")));
        Map<String, String> files = unzip(write(1000, List.of(big)));
        assertEquals(1000, files.get("big.json").length());
        assertTrue(EventCodec.mapper().readTree(files.get("manifest.json")).path("truncated").asBoolean());
    }
}
