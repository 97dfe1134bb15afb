package io.splicelab.local.drills;

import io.splicelab.local.drills.DrillKit.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The heavy-requests drill: requests that once broke the gateway, each to be refused at once. */
final class HeavyRequestsDrill {
    private final DrillKit kit;

    HeavyRequestsDrill(DrillKit kit) {
        this.kit = kit;
    }

    /**
     * Requests that once broke the gateway: a run with {@code steps} 2147483647, one with ten million
     * checkpoints, and a small zip that expands to hundreds of megabytes. Each must be refused at once with a
     * problem+json (400, 400, 413), and the gateway must stay UP and keep accepting runs.
     */
    DrillReport run() {
        long t0 = System.nanoTime();
        List<String> observed = new ArrayList<>();
        boolean passed = true;
        Answer huge = kit.gateway("POST", "/api/runs", "application/json",
                "{\"dataset\":\"synthetic\",\"steps\":2147483647}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(60));
        passed &= refused(huge, 400, "steps=2147483647", observed);
        Answer many = kit.gateway("POST", "/api/runs", "application/json",
                "{\"dataset\":\"synthetic\",\"steps\":10000000,\"checkpointInterval\":1}"
                        .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
        passed &= refused(many, 400, "ten million checkpoints", observed);
        byte[] bomb = zipBomb(600);
        Answer bombed = kit.gateway("POST", "/api/imports?run=drill-bomb&dataset=synthetic", "application/zip", bomb,
                Duration.ofSeconds(60));
        passed &= refused(bombed, 413, "a " + bomb.length / 1024 + " KB zip expanding to 600 MB", observed);
        List<String> down = kit.servicesDown();
        Answer after = kit.gateway("POST", "/api/runs", "application/json",
                ("{\"dataset\":\"synthetic\",\"steps\":2,\"checkpointInterval\":1,\"trainSize\":64,\"evalSize\":20,"
                        + "\"evalSets\":[\"test\"]}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        boolean accepting = after.status() == 202;
        if (accepting) {
            String id = after.json().path("runId").asText();
            kit.gateway("POST", "/api/runs/" + id + "/cancel", null, null, Duration.ofSeconds(30));
        }
        observed.add("services down " + down + "; a run afterwards: " + after.status());
        return new DrillReport("heavy requests", "400 / 400 / 413 problem+json within seconds; every service UP; "
                + "the gateway still accepts runs", String.join("; ", observed),
                passed && down.isEmpty() && accepting, 0, 0, 0, 0, 0, down.size(), 0, Drills.seconds(t0));
    }

    private static boolean refused(Answer a, int status, String what, List<String> observed) {
        boolean problem = a.contentType().startsWith("application/problem+json");
        observed.add(String.format("%s: %d %s in %d ms", what, a.status(), problem ? "problem+json" : a.contentType(),
                a.took().toMillis()));
        return a.status() == status && problem && a.took().compareTo(Duration.ofSeconds(10)) < 0;
    }

    /** A zip with one entry of {@code megabytes} MB of zeros: a few hundred KB on the wire. */
    static byte[] zipBomb(int megabytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
