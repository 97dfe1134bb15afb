package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code splicelab runs} and {@code splicelab export} against a gateway that speaks the REST contract. */
class CliCommandsTest {
    record Ran(int code, String out, String err) {
    }

    static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static byte[] zip(String manifest) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            zip.putNextEntry(new ZipEntry("run.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(manifest.getBytes(StandardCharsets.UTF_8));
        }
        return buf.toByteArray();
    }

    @Test
    void runsPrintsATableWithEachRunsCells() throws Exception {
        try (FakeGateway g = new FakeGateway("r1")) {
            g.run.put("step", 240).put("totalSteps", 240).put("status", "COMPLETED").put("cells", 75)
                    .put("createdAt", "2026-12-02T10:00:00Z").put("testAccuracy", 0.5);
            g.run.putObject("grid").put("cellsExpected", 75);
            g.runList = EventCodec.mapper().readTree("[{\"runId\":\"r1\",\"status\":\"COMPLETED\"},"
                    + "{\"runId\":\"gone\",\"status\":\"FAILED\",\"step\":3,\"totalSteps\":60}]");
            g.runTotal = 7;
            Ran r = run("runs", "--gateway", g.url() + "/", "--limit", "2", "--status", "completed");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals("RUN   NAME  STATUS     STEPS    CELLS  TEST ACC  CREATED (UTC)", lines.get(0));
            assertEquals("r1    -     COMPLETED  240/240  75/75  0.500     2026-12-02 10:00", lines.get(1));
            assertEquals("gone  -     FAILED     3/60     -      -         -", lines.get(2));
            assertEquals("(the newest 2 of 7 runs; --limit N shows more)", lines.get(3));
            assertTrue(g.requests.contains("GET /api/runs?size=2&status=completed"), g.requests.toString());
        }
    }

    @Test
    void runsSaysWhenThereAreNoneAndWhenTheGatewayIsNotThere() throws Exception {
        try (FakeGateway g = new FakeGateway("r1")) {
            Ran r = run("runs", "--gateway", g.url());
            assertEquals(0, r.code());
            assertEquals("no runs at " + g.url() + System.lineSeparator(), r.out());
        }
        Ran down = run("runs", "--gateway", "http://127.0.0.1:9");
        assertEquals(1, down.code());
        assertTrue(down.err().startsWith("error: cannot reach the gateway at http://127.0.0.1:9: "), down.err());
        assertEquals(2, run("runs", "--limit", "0").code());
    }

    @Test
    void exportWritesTheBundleIntoTheFolder(@TempDir Path tmp) throws Exception {
        try (FakeGateway g = new FakeGateway("r1")) {
            g.bundle = zip("{\"kind\":\"run\",\"id\":\"r1\",\"truncated\":false}");
            Path dir = tmp.resolve("new/folder");
            Ran r = run("export", "r1", "--out", dir.toString(), "--gateway", g.url());
            assertEquals(0, r.code(), r.err());
            Path file = dir.resolve("r1-bundle.zip");
            assertArrayEquals(g.bundle, Files.readAllBytes(file));
            assertEquals("wrote " + file + " (" + g.bundle.length + " bytes)" + System.lineSeparator(), r.out());
            assertEquals("", r.err());
            try (var listing = Files.list(dir)) {
                assertEquals(List.of(file), listing.toList(), "no temporary file left");
            }

            g.bundle = zip("{\"truncated\":true,\"reason\":\"hybrids.csv is cut\"}");
            Ran cut = run("export", "r1", "--out", dir.toString(), "--gateway", g.url());
            assertEquals(0, cut.code());
            assertTrue(cut.err().contains("warning: the bundle is incomplete: hybrids.csv is cut"), cut.err());

            Ran missing = run("export", "nope", "--out", dir.toString(), "--gateway", g.url());
            assertEquals(1, missing.code());
            assertTrue(missing.err().startsWith("error: no run nope at " + g.url()), missing.err());
            assertTrue(Files.notExists(dir.resolve("nope-bundle.zip")));
        }
    }
}
