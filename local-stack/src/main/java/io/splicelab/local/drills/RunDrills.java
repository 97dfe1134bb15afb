package io.splicelab.local.drills;

import io.splicelab.local.drills.DrillKit.Read;
import io.splicelab.model.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The drills on real work: a redelivered checkpoint of a run evicted from the splicer's memory, a kill -9 in the
 * middle of a run, the full test split. Each sends real runs through the stack and judges them by where they
 * ended ({@link DrillKit#awaitRun}).
 */
final class RunDrills {
    /** A slightly longer real run (checkpoints at 0, 20, 40, 60, 80) that a kill can land in the middle of. */
    static final String LONGER_RUN = """
            {"architecture":"resnet20","widthMultiplier":0.25,"dataset":"synthetic","steps":80,"batchSize":32,
             "learningRate":0.05,"momentum":0.9,"checkpointInterval":20,"seed":%d,"trainSize":400,"evalSize":100,
             "evalSets":["test"],"bnModes":["carry"]}
            """;

    private final DrillKit kit;
    private final Duration runTimeout;

    /** @param runTimeout how long a run may take end to end on this machine */
    RunDrills(DrillKit kit, Duration runTimeout) {
        this.kit = kit;
        this.runTimeout = runTimeout;
    }

    /**
     * The redelivery that once shrank a grid: runs A, B and C one after the other, so the splicer (two grids in
     * memory by default) evicts A; then A's first {@code checkpoint.created} is written again, byte for byte.
     * A's grid must stay complete, its summaries must span all its checkpoints, and its stream must not repeat.
     */
    DrillReport redeliveredCheckpointOfAnEvictedRun() {
        long t0 = System.nanoTime();
        Map<TopicPartition, Long> checkpointsFrom = kit.endOffsets(Topics.CHECKPOINTS);
        String a = kit.submit(Drills.TINY_RUN.formatted(21));
        String b = kit.submit(Drills.TINY_RUN.formatted(22));
        String c = kit.submit(Drills.TINY_RUN.formatted(23));
        RunOutcome ra = kit.awaitRun(a, runTimeout);
        RunOutcome rb = kit.awaitRun(b, runTimeout);
        RunOutcome rc = kit.awaitRun(c, runTimeout);
        Read first = kit.readFrom(Topics.CHECKPOINTS, checkpointsFrom).stream().filter(r -> a.equals(r.key()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no checkpoint of run " + a + " on the topic"));
        Map<TopicPartition, Long> resultsFrom = kit.endOffsets(Topics.HYBRID_RESULTS);
        kit.produce(Topics.CHECKPOINTS, first.key(), first.value());
        // the splicer announces where the grid stands once it has handled the redelivery
        boolean handled = DrillKit.await(() -> kit.readFrom(Topics.HYBRID_RESULTS, resultsFrom).stream()
                .anyMatch(r -> a.equals(r.key()) && r.value().contains("io.splicelab.hybrid.progress")),
                Duration.ofSeconds(120));
        DrillKit.sleep(Duration.ofSeconds(3));
        RunOutcome after = kit.outcome(a);
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
                after.duplicates(), 0, 0, down.size(), 0, Drills.seconds(t0));
    }

    /**
     * kill -9 of one part of the stack in the middle of a run (after its first hybrid cells reached the gateway):
     * the stack brings it back (the local stack's supervisor, or an orchestrator), and the run still ends with
     * every cell once and no repeated event.
     *
     * @param what the part killed, for the report
     * @param kill kills it (SIGKILL)
     */
    DrillReport killMidRun(String what, Runnable kill) {
        long t0 = System.nanoTime();
        String run = kit.submit(LONGER_RUN.formatted(31 + what.length()));
        boolean midRun = DrillKit.await(() -> !kit.cells(run).isEmpty(), runTimeout);
        kill.run();
        RunOutcome outcome = kit.awaitRun(run, runTimeout);
        DrillKit.await(() -> kit.servicesDown().isEmpty(), Duration.ofMinutes(3));
        List<String> down = kit.servicesDown();
        boolean passed = midRun && outcome.complete() && down.isEmpty();
        return new DrillReport("kill -9 " + what + " mid-run", "the run completes with every cell once, no "
                + "repeated event, every service UP again", String.format("killed %s run; %s; services down %s",
                midRun ? "mid-" : "before cells of the ", outcome, down), passed, outcome.expected(), outcome.lost(),
                outcome.duplicates(), 0, 0, down.size(), 0, Drills.seconds(t0));
    }

    /**
     * Real work at full size: a Fashion-MNIST ResNet-20 run whose checkpoints are each evaluated on the whole
     * 10,000-image test split (every checkpoint takes minutes on two cores). Every cell must arrive, every service
     * must stay UP, and the splicer's peak memory is reported (its process high-water mark, {@code VmHWM}).
     *
     * @param splicerPid the splicer's process id now (it is read again at the end, in case it was restarted)
     */
    DrillReport fullTestSplit(int checkpoints, java.util.function.LongSupplier splicerPid) {
        long t0 = System.nanoTime();
        int interval = 100;
        String config = String.format("""
                {"architecture":"resnet20","dataset":"fashion-mnist","steps":%d,"batchSize":128,
                 "learningRate":0.1,"momentum":0.9,"checkpointInterval":%d,"seed":7,"evalSize":10000,
                 "evalSets":["test"],"bnModes":["carry"]}
                """, (checkpoints - 1) * interval, interval);
        String run = kit.submit(config);
        long pid = splicerPid.getAsLong();
        List<String> times = new ArrayList<>();
        long last = System.nanoTime();
        for (int k = 1; k <= checkpoints; k++) {
            int cells = k * k * Drills.CELLS_PER_PAIR;
            if (!DrillKit.await(() -> kit.cells(run).size() >= cells, runTimeout)) {
                times.add("checkpoint " + k + ": not within " + runTimeout);
                break;
            }
            long now = System.nanoTime();
            times.add(String.format("checkpoint %d: %.0f s", k, (now - last) / 1e9));
            last = now;
        }
        RunOutcome outcome = kit.awaitRun(run, runTimeout);
        List<String> down = kit.servicesDown();
        long samePid = splicerPid.getAsLong();
        String memory = (samePid == pid ? "splicer peak RSS " + peakRss(pid) : "splicer restarted (pid " + pid + " -> "
                + samePid + "), peak RSS of the new one " + peakRss(samePid)) + " (" + kit.memory("splicer-service")
                + ")";
        return new DrillReport("fashion-mnist, 10,000 test images", "all " + checkpoints * checkpoints
                * Drills.CELLS_PER_PAIR + " cells, every service UP, the splicer never restarted",
                String.format("%s; %s; %s; services down %s", outcome, String.join(", ", times), memory, down),
                outcome.complete() && down.isEmpty() && samePid == pid, outcome.expected(), outcome.lost(),
                outcome.duplicates(), 0, 0, down.size(), 0, Drills.seconds(t0));
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
}
