package io.splicelab.local.drills;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;

/**
 * The hostile-records drill: a hostile or malformed record on every consumed topic (and a canary behind a
 * symlink out of the store), then a real run, to show that every consumer dead-letters what it must refuse and
 * keeps going.
 */
final class HostileRecordsDrill {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DrillKit kit;
    private final Path artifactsDir;
    private final Duration runTimeout;
    private final EventCodec codec = new EventCodec("/drills");

    /**
     * @param artifactsDir the stack's artifact store (for the symlink canary)
     * @param runTimeout how long the real run may take end to end on this machine
     */
    HostileRecordsDrill(DrillKit kit, Path artifactsDir, Duration runTimeout) {
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
    DrillReport run() {
        long t0 = System.nanoTime();
        String n = UUID.randomUUID().toString().substring(0, 8);
        Map<TopicPartition, Long> deadFrom = kit.endOffsets(Topics.DEAD_LETTERS);
        Map<TopicPartition, Long> statsFrom = kit.endOffsets(Topics.STATS_RESULTS);
        String canaryRun = "drill-canary-" + n;
        ArtifactRef canary = plantCanary(canaryRun);
        RunConfig config = config(Drills.TINY_RUN.formatted(11));
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
        String good = kit.submit(Drills.TINY_RUN.formatted(12));
        RunOutcome outcome = kit.awaitRun(good, runTimeout);
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
                down.size(), outside, Drills.seconds(t0));
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
}
