package io.splicelab.local.drills;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The drills: what broke the stack before, done again on purpose against a running one. Each returns a
 * {@link DrillReport}; none assumes how the stack was started. A drill sends a small real run through the
 * stack where it needs proof that the consumers kept going. One class per family, each drill reading top to
 * bottom as the scenario it replays: {@link HostileRecordsDrill}, {@link HeavyRequestsDrill}, {@link RunDrills}
 * (redelivery, kill -9, the full test split); what they share is in {@link DrillKit}.
 */
public final class Drills {
    /** A tiny real run: synthetic data, ResNet-20 at width 0.25, checkpoints at steps 0, 20 and 40. */
    public static final String TINY_RUN = """
            {"architecture":"resnet20","widthMultiplier":0.25,"dataset":"synthetic","steps":40,"batchSize":32,
             "learningRate":0.05,"momentum":0.9,"checkpointInterval":20,"seed":%d,"trainSize":400,"evalSize":100,
             "evalSets":["test"],"bnModes":["carry"]}
            """;
    /** Cells per checkpoint pair of the drills' runs: three cuts (resnet20's default), the one evaluation set and mode they pin. */
    public static final int CELLS_PER_PAIR = 3;
    /** A slightly longer real run (checkpoints at 0, 20, 40, 60, 80) that a kill can land in the middle of. */
    public static final String LONGER_RUN = RunDrills.LONGER_RUN;

    private final HostileRecordsDrill hostile;
    private final HeavyRequestsDrill heavy;
    private final RunDrills runs;

    /**
     * @param kit the stack's handles
     * @param artifactsDir the stack's artifact store (for the symlink canary)
     * @param runTimeout how long a tiny run may take end to end on this machine
     */
    public Drills(DrillKit kit, Path artifactsDir, Duration runTimeout) {
        this.hostile = new HostileRecordsDrill(kit, artifactsDir, runTimeout);
        this.heavy = new HeavyRequestsDrill(kit);
        this.runs = new RunDrills(kit, runTimeout);
    }

    /**
     * Hostile and malformed records on every consumed topic, then a real run: every record is dead-lettered
     * with a reason by the services that consume its topic, none becomes a run in the gateway, the canary
     * behind a symlink in the store is never processed, every service stays UP and the real run's grid is
     * complete.
     */
    public DrillReport hostileRecords() {
        return hostile.run();
    }

    /**
     * Requests that once broke the gateway: a run with {@code steps} 2147483647, one with ten million
     * checkpoints, and a small zip that expands to hundreds of megabytes. Each must be refused at once with a
     * problem+json (400, 400, 413), and the gateway must stay UP and keep accepting runs.
     */
    public DrillReport heavyRequests() {
        return heavy.run();
    }

    /**
     * The redelivery that once shrank a grid: runs A, B and C one after the other, so the splicer evicts A; then
     * A's first {@code checkpoint.created} is written again, byte for byte. A's grid must stay complete.
     */
    public DrillReport redeliveredCheckpointOfAnEvictedRun() {
        return runs.redeliveredCheckpointOfAnEvictedRun();
    }

    /**
     * kill -9 of one part of the stack in the middle of a run: the run still ends with every cell once and no
     * repeated event.
     *
     * @param what the part killed, for the report
     * @param kill kills it (SIGKILL)
     */
    public DrillReport killMidRun(String what, Runnable kill) {
        return runs.killMidRun(what, kill);
    }

    /**
     * Real work at full size: every checkpoint evaluated on the whole Fashion-MNIST test split.
     *
     * @param splicerPid the splicer's process id now (it is read again at the end, in case it was restarted)
     */
    public DrillReport fullTestSplit(int checkpoints, LongSupplier splicerPid) {
        return runs.fullTestSplit(checkpoints, splicerPid);
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Runs the given drills in order and collects their reports (a drill that throws is reported as failed). */
    public static List<DrillReport> run(Map<String, Supplier<DrillReport>> drills) {
        List<DrillReport> out = new ArrayList<>();
        for (Map.Entry<String, Supplier<DrillReport>> d : new LinkedHashMap<>(drills).entrySet()) {
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
