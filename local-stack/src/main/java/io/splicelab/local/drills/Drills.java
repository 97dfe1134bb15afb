package io.splicelab.local.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.local.drills.DrillKit.Answer;
import io.splicelab.local.drills.DrillKit.Read;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.DeadLetters;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.FeatureSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.common.TopicPartition;

/**
 * The drills: what broke the stack before, done again on purpose against a running one. Each returns a
 * {@link DrillReport}; none assumes how the stack was started. A drill sends a small real run through the
 * stack where it needs proof that the consumers kept going. (Over 400 lines: one method per drill, each
 * reading top to bottom as the scenario it replays; what they share is in {@link DrillKit}.)
 */
public final class Drills {
    /** A tiny real run: synthetic data, ResNet-20 at width 0.25, checkpoints at steps 0, 20 and 40. */
    public static final String TINY_RUN = """
            {"architecture":"resnet20","widthMultiplier":0.25,"dataset":"synthetic","steps":40,"batchSize":32,
             "learningRate":0.05,"momentum":0.9,"checkpointInterval":20,"seed":%d,"trainSize":400,"evalSize":100}
            """;
    /** Cuts of the stack's grids (the splicer's default), evaluation sets and BN modes (the defaults: one each). */
    public static final int CELLS_PER_PAIR = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private final DrillKit kit;
    private final Path artifactsDir;
    private final Duration runTimeout;
    private final EventCodec codec = new EventCodec("/drills");

    /**
     * @param kit the stack's handles
     * @param artifactsDir the stack's artifact store (for the symlink canary)
     * @param runTimeout how long a tiny run may take end to end on this machine
     */
    public Drills(DrillKit kit, Path artifactsDir, Duration runTimeout) {
        this.kit = kit;
        this.artifactsDir = artifactsDir;
        this.runTimeout = runTimeout;
    }

    /** A record that must be refused: where it goes, its key, its value and which services must dead-letter it. */
    record Hostile(String what, String topic, String key, String value, List<String> refusedBy) {
    }

    /**
     * Hostile and malformed records on every consumed topic, then a real run: every record is dead-lettered
     * with a reason by the services that consume its topic, none becomes a run in the gateway, the canary
     * behind a symlink in the store is never processed, every service stays UP and the real run's grid is
     * complete.
     */
    public DrillReport hostileRecords() {
        long t0 = System.nanoTime();
        String n = UUID.randomUUID().toString().substring(0, 8);
        Map<TopicPartition, Long> deadFrom = kit.endOffsets(Topics.DEAD_LETTERS);
        Map<TopicPartition, Long> statsFrom = kit.endOffsets(Topics.STATS_RESULTS);
        String canaryRun = "drill-canary-" + n;
        ArtifactRef canary = plantCanary(canaryRun);
        RunConfig config = config(TINY_RUN.formatted(11));
        NetworkSpec spec = new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10);
        List<Hostile> records = new ArrayList<>();
        records.add(new Hostile("garbage on run-commands", Topics.RUN_COMMANDS, "drill-garbage-" + n, "{not json",
                List.of("trainer-service")));
        String escape = "../escape-" + n;
        records.add(new Hostile("run.requested with runId ../", Topics.RUN_COMMANDS, escape,
                codec.encode(escape, new RunRequested(escape, config)), List.of("trainer-service")));
        String dirRun = "drill-dir-" + n;
        records.add(new Hostile("checkpoint whose artifact is a directory", Topics.CHECKPOINTS, dirRun,
                codec.encode(dirRun, new CheckpointCreated(dirRun, 0, 0, config, spec,
                        new ArtifactRef("artifact:runs", 4096, "0".repeat(64), "application/octet-stream"), 0, 0)),
                List.of("splicer-service", "gateway")));
        String upRun = "drill-up-" + n;
        records.add(new Hostile("checkpoint whose artifact is ../../etc/passwd", Topics.CHECKPOINTS, upRun,
                codec.encode(upRun, new CheckpointCreated(upRun, 0, 0, config, spec,
                        new ArtifactRef("artifact:../../etc/passwd", 100, "0".repeat(64), "text/plain"), 0, 0)),
                List.of("splicer-service", "gateway")));
        records.add(new Hostile("unknown event type on checkpoints", Topics.CHECKPOINTS, "drill-type-" + n,
                "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/drills\","
                        + "\"type\":\"io.splicelab.nope\",\"subject\":\"drill-type-" + n + "\",\"data\":{}}",
                List.of("splicer-service", "gateway")));
        records.add(new Hostile("feature snapshot behind a symlink out of the store", Topics.FEATURE_SNAPSHOTS,
                canaryRun, codec.encode(canaryRun, new FeaturesSnapshotted(canaryRun, 10, "test",
                        List.of("stem"), 4, canary)), List.of("stats-service", "gateway")));
        String noiseRun = "drill-noise-" + n;
        records.add(new Hostile("noise sample whose artifact is missing", Topics.NOISE_SAMPLES, noiseRun,
                codec.encode(noiseRun, new NoiseSampled(noiseRun, 10, 8, 32, 1000L, null, null,
                        new ArtifactRef("artifact:runs/" + noiseRun + "/noise/step-00000010.noise.npy", 128,
                                "0".repeat(64), "application/x-npy"), null)),
                List.of("stats-service", "gateway")));
        records.add(new Hostile("garbage on hybrid-results", Topics.HYBRID_RESULTS, "drill-hybrid-" + n,
                "[1, 2, 3]", List.of("stats-service", "gateway")));
        String startedRun = "drill-started-" + n;
        records.add(new Hostile("run.started for a run nobody requested", Topics.RUN_EVENTS, startedRun,
                codec.encode(startedRun, new RunStarted(startedRun, config, config.checkpointSteps())),
                List.of("gateway")));
        String statsRun = "drill-stats-" + n;
        records.add(new Hostile("stats result for a run nobody requested", Topics.STATS_RESULTS, statsRun,
                codec.encode(statsRun, new StatsComputed(statsRun, "drill", "stem", "test", List.of(10), "scalar",
                        Map.of(), Map.of("x", 1.0))), List.of("gateway")));
        for (Hostile h : records) {
            kit.produce(h.topic(), h.key(), h.value());
        }
        // the real run, after the hostile records on the same topics: it only completes if no channel stopped
        String good = kit.submit(TINY_RUN.formatted(12));
        RunOutcome outcome = awaitRun(good);
        List<String> missing = new ArrayList<>();
        DrillKit.await(() -> {
            missing.clear();
            missing.addAll(notDeadLettered(records, kit.readFrom(Topics.DEAD_LETTERS, deadFrom)));
            return missing.isEmpty();
        }, Duration.ofSeconds(60));
        List<String> phantoms = new ArrayList<>();
        for (String run : List.of(dirRun, upRun, canaryRun, noiseRun, startedRun, statsRun)) {
            if (kit.gatewayKnows(run)) {
                phantoms.add(run);
            }
        }
        int outside = (int) kit.readFrom(Topics.STATS_RESULTS, statsFrom).stream()
                .filter(r -> canaryRun.equals(r.key())).count();
        List<String> down = kit.servicesDown();
        int dead = records.size() - (int) records.stream()
                .filter(h -> missing.stream().anyMatch(m -> m.startsWith(h.what()))).count();
        boolean passed = missing.isEmpty() && phantoms.isEmpty() && outside == 0 && down.isEmpty()
                && outcome.complete();
        String observed = String.format("%d of %d records dead-lettered by every consumer of their topic%s; "
                + "phantom runs %s; canary results %d; services down %s; real run %s", dead, records.size(),
                missing.isEmpty() ? "" : " (missing: " + missing + ")", phantoms, outside, down, outcome);
        return new DrillReport("hostile records on every topic",
                "every record dead-lettered with a reason by each consumer of its topic, no phantom run, the "
                        + "canary behind a symlink never read, every service UP, the next run's grid complete",
                observed, passed, outcome.expected(), outcome.lost(), outcome.duplicates(), records.size(), dead,
                down.size(), outside, seconds(t0));
    }

    /** For each hostile record, the services that should have dead-lettered it and did not. */
    private static List<String> notDeadLettered(List<Hostile> records, List<Read> deadLetters) {
        List<String> missing = new ArrayList<>();
        for (Hostile h : records) {
            for (String service : h.refusedBy()) {
                boolean found = deadLetters.stream().anyMatch(d -> h.key().equals(d.key())
                        && service.equals(d.headers().get(DeadLetters.SERVICE_HEADER))
                        && h.topic().equals(d.headers().get(DeadLetters.SOURCE_TOPIC_HEADER))
                        && !d.headers().getOrDefault(DeadLetters.REASON_HEADER, "").isBlank());
                if (!found) {
                    missing.add(h.what() + " by " + service);
                }
            }
        }
        return missing;
    }

    /**
     * A feature snapshot with a correct size and sha256, written OUTSIDE the store, and a symlink to it inside
     * the store where the hostile event points: a service that follows the link would process it and publish a
     * result for the canary run.
     */
    private ArtifactRef plantCanary(String runId) {
        try {
            Path outside = Files.createTempDirectory("splicelab-canary-");
            byte[] snapshot = new FeatureSnapshot(new int[] {0, 1, 0, 1},
                    Map.of("stem", new float[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}})).encode();
            Path target = Files.write(outside.resolve("canary.npz"), snapshot);
            String key = "runs/" + runId + "/features/test/step-00000010.npz";
            Path link = artifactsDir.resolve(key);
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, target);
            return new ArtifactRef("artifact:" + key, snapshot.length, sha256(snapshot), FeatureSnapshot.MEDIA_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot plant the canary", e);
        }
    }

    /**
     * Requests that once broke the gateway: a run with {@code steps} 2147483647, one with ten million
     * checkpoints, and a small zip that expands to hundreds of megabytes. Each must be refused at once with a
     * problem+json (400, 400, 413), and the gateway must stay UP and keep accepting runs.
     */
    public DrillReport heavyRequests() {
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
                "{\"dataset\":\"synthetic\",\"steps\":2,\"checkpointInterval\":1,\"trainSize\":64,\"evalSize\":20}"
                        .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        boolean accepting = after.status() == 202;
        if (accepting) {
            String id = after.json().path("runId").asText();
            kit.gateway("POST", "/api/runs/" + id + "/cancel", null, null, Duration.ofSeconds(30));
        }
        observed.add("services down " + down + "; a run afterwards: " + after.status());
        return new DrillReport("heavy requests", "400 / 400 / 413 problem+json within seconds; every service UP; "
                + "the gateway still accepts runs", String.join("; ", observed),
                passed && down.isEmpty() && accepting, 0, 0, 0, 0, 0, down.size(), 0, seconds(t0));
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

    /**
     * The redelivery that once shrank a grid: runs A, B and C one after the other, so the splicer (two grids in
     * memory by default) evicts A; then A's first {@code checkpoint.created} is written again, byte for byte.
     * A's grid must stay complete, its summaries must span all its checkpoints, and its stream must not repeat.
     */
    public DrillReport redeliveredCheckpointOfAnEvictedRun() {
        long t0 = System.nanoTime();
        Map<TopicPartition, Long> checkpointsFrom = kit.endOffsets(Topics.CHECKPOINTS);
        String a = kit.submit(TINY_RUN.formatted(21));
        String b = kit.submit(TINY_RUN.formatted(22));
        String c = kit.submit(TINY_RUN.formatted(23));
        RunOutcome ra = awaitRun(a);
        RunOutcome rb = awaitRun(b);
        RunOutcome rc = awaitRun(c);
        Read first = kit.readFrom(Topics.CHECKPOINTS, checkpointsFrom).stream().filter(r -> a.equals(r.key()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no checkpoint of run " + a + " on the topic"));
        Map<TopicPartition, Long> resultsFrom = kit.endOffsets(Topics.HYBRID_RESULTS);
        kit.produce(Topics.CHECKPOINTS, first.key(), first.value());
        // the splicer announces where the grid stands once it has handled the redelivery
        boolean handled = DrillKit.await(() -> kit.readFrom(Topics.HYBRID_RESULTS, resultsFrom).stream()
                .anyMatch(r -> a.equals(r.key()) && r.value().contains("io.splicelab.hybrid.progress")),
                Duration.ofSeconds(120));
        DrillKit.sleep(Duration.ofSeconds(3));
        RunOutcome after = outcome(a);
        int steps = after.checkpoints();
        List<Integer> summarySpans = new ArrayList<>();
        kit.gateway("GET", "/api/runs/" + a + "/summaries", null, null, Duration.ofSeconds(30)).json()
                .path("summaries").forEach(s -> summarySpans.add(s.path("steps").size()));
        boolean spans = !summarySpans.isEmpty() && summarySpans.stream().allMatch(x -> x == steps);
        List<String> down = kit.servicesDown();
        boolean passed = ra.complete() && rb.complete() && rc.complete() && handled && after.complete() && spans
                && down.isEmpty();
        String observed = String.format("A %s, B %s, C %s; redelivery handled %s; A after it %s; summary spans %s "
                + "(checkpoints %d); services down %s", ra, rb, rc, handled, after, summarySpans, steps, down);
        return new DrillReport("redelivered checkpoint, evicted run", "A keeps every cell, summaries over all its "
                + "checkpoints, no repeated event", observed, passed, after.expected(), after.lost(),
                after.duplicates(), 0, 0, down.size(), 0, seconds(t0));
    }

    /** A slightly longer real run (checkpoints at 0, 20, 40, 60, 80) that a kill can land in the middle of. */
    public static final String LONGER_RUN = """
            {"architecture":"resnet20","widthMultiplier":0.25,"dataset":"synthetic","steps":80,"batchSize":32,
             "learningRate":0.05,"momentum":0.9,"checkpointInterval":20,"seed":%d,"trainSize":400,"evalSize":100}
            """;

    /**
     * kill -9 of one part of the stack in the middle of a run (after its first hybrid cells reached the gateway):
     * the stack brings it back (the local stack's supervisor, or an orchestrator), and the run still ends with
     * every cell once and no repeated event.
     *
     * @param what the part killed, for the report
     * @param kill kills it (SIGKILL)
     */
    public DrillReport killMidRun(String what, Runnable kill) {
        long t0 = System.nanoTime();
        String run = kit.submit(LONGER_RUN.formatted(31 + what.length()));
        boolean midRun = DrillKit.await(() -> !kit.cells(run).isEmpty(), runTimeout);
        kill.run();
        RunOutcome outcome = awaitRun(run);
        DrillKit.await(() -> kit.servicesDown().isEmpty(), Duration.ofMinutes(3));
        List<String> down = kit.servicesDown();
        boolean passed = midRun && outcome.complete() && down.isEmpty();
        return new DrillReport("kill -9 " + what + " mid-run", "the run completes with every cell once, no "
                + "repeated event, every service UP again", String.format("killed %s run; %s; services down %s",
                midRun ? "mid-" : "before cells of the ", outcome, down), passed, outcome.expected(), outcome.lost(),
                outcome.duplicates(), 0, 0, down.size(), 0, seconds(t0));
    }

    /**
     * Real work at full size: a Fashion-MNIST ResNet-20 run whose checkpoints are each evaluated on the whole
     * 10,000-image test split (every checkpoint takes minutes on two cores). Every cell must arrive, every service
     * must stay UP, and the splicer's peak memory is reported (its process high-water mark, {@code VmHWM}).
     *
     * @param splicerPid the splicer's process id now (it is read again at the end, in case it was restarted)
     */
    public DrillReport fullTestSplit(int checkpoints, java.util.function.LongSupplier splicerPid) {
        long t0 = System.nanoTime();
        int interval = 100;
        String config = String.format("""
                {"architecture":"resnet20","dataset":"fashion-mnist","steps":%d,"batchSize":128,
                 "learningRate":0.1,"momentum":0.9,"checkpointInterval":%d,"seed":7,"evalSize":10000}
                """, (checkpoints - 1) * interval, interval);
        String run = kit.submit(config);
        long pid = splicerPid.getAsLong();
        List<String> times = new ArrayList<>();
        long last = System.nanoTime();
        for (int k = 1; k <= checkpoints; k++) {
            int cells = k * k * CELLS_PER_PAIR;
            if (!DrillKit.await(() -> kit.cells(run).size() >= cells, runTimeout)) {
                times.add("checkpoint " + k + ": not within " + runTimeout);
                break;
            }
            long now = System.nanoTime();
            times.add(String.format("checkpoint %d: %.0f s", k, (now - last) / 1e9));
            last = now;
        }
        RunOutcome outcome = awaitRun(run);
        List<String> down = kit.servicesDown();
        long samePid = splicerPid.getAsLong();
        String memory = samePid == pid ? "splicer peak RSS " + peakRss(pid) : "splicer restarted (pid " + pid + " -> "
                + samePid + "), peak RSS of the new one " + peakRss(samePid);
        return new DrillReport("fashion-mnist, 10,000 test images", "all " + checkpoints * checkpoints
                * CELLS_PER_PAIR + " cells, every service UP, the splicer never restarted",
                String.format("%s; %s; %s; services down %s", outcome, String.join(", ", times), memory, down),
                outcome.complete() && down.isEmpty() && samePid == pid, outcome.expected(), outcome.lost(),
                outcome.duplicates(), 0, 0, down.size(), 0, seconds(t0));
    }

    /** A process's resident-set high-water mark from /proc (Linux), e.g. "1.61 GB"; "unknown" elsewhere. */
    static String peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(java.util.Locale.ROOT, "%.2f GB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    /** Where a run ended: status, checkpoints, expected and lost cells, repeated events. */
    public record RunOutcome(String runId, String status, int checkpoints, int expected, int lost,
            List<String> repeated) {
        /** How many events repeated an earlier one on the run's stream. */
        public int duplicates() {
            return repeated.size();
        }

        public boolean complete() {
            return "COMPLETED".equals(status) && checkpoints > 0 && lost == 0 && repeated.isEmpty();
        }

        @Override
        public String toString() {
            String first = repeated.isEmpty() ? "" : " (first: " + abbreviate(repeated.get(0)) + ")";
            return String.format("%s %s, %d checkpoints, %d/%d cells, %d repeated events%s", runId, status,
                    checkpoints, expected - lost, expected, repeated.size(), first);
        }

        private static String abbreviate(String event) {
            return event.length() <= 300 ? event : event.substring(0, 300) + "...";
        }
    }

    /** Waits for a run to end and its grid to fill (or the timeout), then measures it. */
    public RunOutcome awaitRun(String runId) {
        DrillKit.await(() -> TERMINAL.contains(kit.run(runId).path("status").asText()), runTimeout);
        DrillKit.await(() -> {
            int k = kit.checkpointSteps(runId).size();
            return k > 0 && kit.cells(runId).size() >= k * k * CELLS_PER_PAIR;
        }, runTimeout);
        return outcome(runId);
    }

    private RunOutcome outcome(String runId) {
        String status = kit.run(runId).path("status").asText("UNKNOWN");
        int k = kit.checkpointSteps(runId).size();
        int expected = k * k * CELLS_PER_PAIR;
        int lost = Math.max(0, expected - kit.cells(runId).size());
        List<String> repeated = kit.repeatedEvents(runId, Duration.ofSeconds(4));
        return new RunOutcome(runId, status, k, expected, lost, repeated);
    }

    private static RunConfig config(String json) {
        try {
            return JSON.readValue(json, RunConfig.class).withDefaults();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Runs the given drills in order and collects their reports (a drill that throws is reported as failed). */
    public static List<DrillReport> run(Map<String, java.util.function.Supplier<DrillReport>> drills) {
        List<DrillReport> out = new ArrayList<>();
        for (Map.Entry<String, java.util.function.Supplier<DrillReport>> d : new LinkedHashMap<>(drills).entrySet()) {
            long t0 = System.nanoTime();
            try {
                out.add(d.getValue().get());
            } catch (RuntimeException e) {
                out.add(new DrillReport(d.getKey(), "the drill runs", "it failed: " + e, false, 0, 0, 0, 0, 0, 0, 0,
                        seconds(t0)));
            }
        }
        return out;
    }
}
