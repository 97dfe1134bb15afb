package io.splicelab.splicer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.splicer.splicing.RunGrid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact store is the truth: whatever checkpoint event arrives, the run's grid holds every checkpoint the
 * store has, so a redelivery never shrinks a grid nor yields summaries over fewer checkpoints (observation 3 of
 * "Survive real work": a redelivered early checkpoint of a run evicted from memory rebuilt its grid from the
 * earlier steps only, and the later ones were added to that incomplete grid).
 */
@ExtendWith(DjlOfflineExtension.class)
class RestoreFromStoreTest {
    static final List<String> CUTS = OnnxImportTest.CUTS;

    @TempDir
    Path dir;

    static RunConfig config() throws Exception {
        return EventCodec.mapper().readValue("{\"architecture\":\"resnet20-b\",\"widthMultiplier\":0.25,"
                + "\"dataset\":\"synthetic\",\"steps\":30,\"checkpointInterval\":10,\"trainSize\":64,\"evalSize\":24,"
                + "\"evalSets\":[\"test\"],\"bnModes\":[\"carry\"]}",
                RunConfig.class).withDefaults();
    }

    /** What the trainer does: the parameters and the manifest into the store, then the event. */
    static CheckpointCreated store(ArtifactStore store, String runId, int step, byte[] params) throws Exception {
        ArtifactRef ref = store.put(RunArtifacts.checkpointParams(runId, step), params, Checkpoints.MEDIA_TYPE);
        CheckpointCreated c = new CheckpointCreated(runId, step, step / 10, config(), OnnxImportTest.SPEC, ref, 1,
                0.5);
        store.put(RunArtifacts.checkpointManifest(runId, step), EventCodec.toJson(c).getBytes(StandardCharsets.UTF_8),
                "application/json");
        return c;
    }

    static SplicingService service(ArtifactStore store, SplicerPublisher publisher, Path spill, int maxRuns) {
        return new SplicingService(store, publisher, CUTS, 8, maxRuns, List.of("test"), List.of(RunGrid.CARRY), 50,
                64, spill.toString(), RunGrid.FLOAT32, 0.9, "cpu", 1);
    }

    @Test
    void aRedeliveredEarlyCheckpointOfAnEvictedRunRestoresEveryStoredCheckpoint() throws Exception {
        ArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        List<byte[]> params = io.splicelab.splicer.splicing.SeededCheckpoints.of(OnnxImportTest.SPEC, 4);
        OnnxImportTest.Captured captured = new OnnxImportTest.Captured();
        SplicingService splicer = service(store, captured, dir.resolve("spill"), 1);
        try {
            CheckpointCreated a0 = store(store, "a", 0, params.get(0));
            splicer.onCheckpoint(a0);
            splicer.onCheckpoint(store(store, "a", 10, params.get(1)));
            splicer.onCheckpoint(store(store, "b", 0, params.get(2))); // max-active-runs 1: run a is evicted
            splicer.onCheckpoint(store(store, "b", 10, params.get(3)));
            // run a's next checkpoints are in the store before its early one is delivered again
            CheckpointCreated a20 = store(store, "a", 20, params.get(2));
            CheckpointCreated a30 = store(store, "a", 30, params.get(3));
            splicer.onCheckpoint(EventCodec.mapper().readValue(EventCodec.toJson(a0), CheckpointCreated.class));
            splicer.onCheckpoint(a20);
            splicer.onCheckpoint(a30);
        } finally {
            splicer.close();
        }
        List<HybridEvaluated> cellsOfA = captured.cells.stream().filter(c -> c.runId().equals("a")).toList();
        Set<List<Object>> keys = new HashSet<>();
        for (HybridEvaluated c : cellsOfA) {
            assertTrue(keys.add(List.of(c.cut(), c.evalSet(), c.bnMode(), c.shallowStep(), c.deepStep())),
                    "each cell once: " + c);
        }
        assertEquals(CUTS.size() * 4 * 4, keys.size(), "every cell of the 4 checkpoints of run a");

        List<TcSummaryComputed> summariesOfA = captured.summaries.stream().filter(s -> s.runId().equals("a")).toList();
        int before = 0;
        for (TcSummaryComputed s : summariesOfA) {
            assertTrue(s.steps().size() >= before, "a summary never covers fewer checkpoints: " + s.steps());
            before = Math.max(before, s.steps().size());
        }
        // seeded initialisations: summaries only where some forward pair's deep donor is above chance
        boolean learnt = cellsOfA.stream().anyMatch(c -> c.shallowStep() < c.deepStep()
                && Boolean.FALSE.equals(c.deepDonorAtChance()));
        assertEquals(learnt, !summariesOfA.isEmpty(), "summaries " + summariesOfA);
        if (learnt) {
            assertEquals(List.of(0, 10, 20, 30), summariesOfA.get(summariesOfA.size() - 1).steps());
        }

        GridProgress last = lastProgress(captured, "a");
        assertEquals(GridProgress.WAITING, last.status(), "no completed marker yet");
        assertEquals(4, last.checkpoints());
        assertEquals(CUTS.size() * 16, last.gridCellsExpected());
        assertEquals(last.gridCellsExpected(), last.gridCellsComputed());
        for (GridProgress p : captured.progress) {
            assertTrue(p.stepCellsComputed() <= p.stepCellsExpected() && p.gridCellsComputed() <= p.gridCellsExpected(),
                    p.toString());
        }
        // restoring is not news: the run's grid never seems to shrink and grow back on the progress stream (a
        // kill drill saw a restored grid's ticks repeat an earlier progress event)
        int computed = 0;
        for (GridProgress p : captured.progress.stream().filter(p -> p.runId().equals("a")).toList()) {
            assertTrue(p.gridCellsComputed() >= computed, "progress of run a went back: " + p);
            computed = p.gridCellsComputed();
        }

        // the trainer marks the run completed: the status from the store alone (the grid is gone) is complete
        store.put(RunArtifacts.completedMarker("a"), "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        SplicingService restarted = service(store, captured, dir.resolve("spill"), 1);
        try {
            restarted.publishStatus("a", -1);
        } finally {
            restarted.close();
        }
        GridProgress done = lastProgress(captured, "a");
        assertEquals(GridProgress.COMPLETE, done.status());
        assertEquals(30, done.step());
        assertEquals(CUTS.size() * 16, done.gridCellsComputed());
        assertNull(done.reason());
    }

    static GridProgress lastProgress(OnnxImportTest.Captured captured, String runId) {
        List<GridProgress> of = captured.progress.stream().filter(p -> p.runId().equals(runId)).toList();
        return of.get(of.size() - 1);
    }
}
