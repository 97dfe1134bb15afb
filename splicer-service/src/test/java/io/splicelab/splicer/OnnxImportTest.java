package io.splicelab.splicer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.splicelab.edge.consume.RecordGate;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.onnx.CheckpointExport;
import io.splicelab.onnx.ExportedCheckpoint;
import io.splicelab.splicer.splicing.HybridCell;
import io.splicelab.splicer.splicing.HybridMetrics;
import io.splicelab.splicer.splicing.OnnxSegmentedNet;
import io.splicelab.splicer.splicing.OnnxSessionPlan;
import io.splicelab.splicer.splicing.RunGrid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported checkpoints: a network trained with DJL is exported to ONNX segment by segment (onnx-export's
 * {@link CheckpointExport}, what the gateway serves), imported, and must give the grid that the same weights give
 * when evaluated directly.
 */
@ExtendWith(DjlOfflineExtension.class)
class OnnxImportTest {
    static final NetworkSpec SPEC = new NetworkSpec("resnet20-b", 0.25, 3, 32, 32, 10);
    static final List<String> CUTS = List.of("stem", "stage1", "stage2");
    static final int EVAL = 40;
    static final int BATCH = 20;
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    /** Two distinct checkpoints (seeded initialisations with non-trivial BatchNorm statistics) as parameters. */
    static List<byte[]> checkpoints() {
        return io.splicelab.splicer.splicing.SeededCheckpoints.of(SPEC, 2);
    }

    /**
     * The ONNX files and manifest of a checkpoint, exported as the gateway exports a trained one: segments stem,
     * stage1, stage2 and head (stage 3 + head). A manifest that claims another input shape than the network's is
     * written over the export's (an import whose dataset does not fit).
     */
    static ExportedCheckpoint export(byte[] params, int step, List<Integer> inputShape) {
        ExportedCheckpoint e = CheckpointExport.export(SPEC, params, CUTS, "exported", step, new float[] {0, 0, 0},
                new float[] {1, 1, 1}, null);
        if (inputShape.equals(e.manifest().input().shape())) {
            return e;
        }
        int c = inputShape.get(0);
        ImportManifest m = e.manifest();
        List<ImportManifest.Segment> undeclared = m.segments().stream()
                .map(s -> new ImportManifest.Segment(s.name(), s.file())).toList();
        ImportManifest claimed = new ImportManifest(m.run(), m.step(), m.numClasses(), new ImportManifest.Input(
                inputShape, java.util.Collections.nCopies(c, 0.0), java.util.Collections.nCopies(c, 1.0)),
                undeclared, m.cuts()).validated();
        Map<String, byte[]> files = new LinkedHashMap<>(e.files());
        files.put(ImportManifest.FILE, EventCodec.toJson(claimed).getBytes(StandardCharsets.UTF_8));
        return new ExportedCheckpoint(claimed, files);
    }

    static void assertSameCells(List<HybridCell> direct, List<HybridCell> imported) {
        assertEquals(direct.size(), imported.size());
        for (int i = 0; i < direct.size(); i++) {
            HybridCell d = direct.get(i);
            HybridCell o = imported.get(i);
            assertEquals(d.key(), o.key());
            assertEquals(d.samples(), o.samples());
            assertNull(o.metrics().get(HybridMetrics.PARAM_DISTANCE), "imported parameters are unknown");
            for (Map.Entry<String, Double> e : d.metrics().entrySet()) {
                if (e.getKey().equals(HybridMetrics.PARAM_DISTANCE)) {
                    continue;
                }
                Double got = o.metrics().get(e.getKey());
                assertTrue(got != null, e.getKey() + " of " + o.key());
                assertEquals(e.getValue(), got, TOLERANCE * Math.max(1, Math.abs(e.getValue())),
                        e.getKey() + " of " + o.key());
            }
        }
    }

    @Test
    void anImportedGridEqualsTheGridOfTheSameWeightsEvaluatedDirectly() {
        ImageDataset test = SyntheticImages.split("test", EVAL).subset("test", range(EVAL));
        List<byte[]> params = checkpoints();
        RunGrid.Options options = new RunGrid.Options(CUTS, List.of(RunGrid.CARRY), BATCH, Long.MAX_VALUE, dir,
                RunGrid.FLOAT32);
        List<HybridCell> direct = new ArrayList<>();
        List<HybridCell> imported = new ArrayList<>();
        try (RunGrid djl = new RunGrid(options, List.of(test), null, NDManager.newBaseManager());
                RunGrid onnx = new RunGrid(options, List.of(test), null, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                direct.addAll(djl.add(k * 10, Checkpoints.load(SPEC, params.get(k), djl.manager())));
                ExportedCheckpoint e = export(params.get(k), k * 10, List.of(3, 32, 32));
                imported.addAll(onnx.add(k * 10, OnnxSegmentedNet.load(e.manifest(), e.segmentFiles(),
                        new float[] {0, 0, 0}, new float[] {1, 1, 1}, OnnxSessionPlan.DEFAULT)));
            }
            // the probe features (global-average-pooled) agree too
            for (int k = 0; k < params.size(); k++) {
                Map<String, float[][]> a = djl.pooledFeatures(k * 10);
                Map<String, float[][]> b = onnx.pooledFeatures(k * 10);
                for (String cut : CUTS) {
                    for (int i = 0; i < EVAL; i++) {
                        for (int j = 0; j < a.get(cut)[i].length; j++) {
                            assertEquals(a.get(cut)[i][j], b.get(cut)[i][j], 1e-4, cut);
                        }
                    }
                }
            }
        }
        assertEquals(CUTS.size() * (1 + 3), direct.size());
        assertSameCells(direct, imported);
    }

    @Test
    void anImportedGridUnderASmallMemoryBudgetSpillsStaysWithinItAndGivesTheSameCellsAsTheyAreComputed() {
        ImageDataset test = SyntheticImages.split("test", EVAL).subset("test", range(EVAL));
        List<byte[]> params = checkpoints();
        List<ExportedCheckpoint> exported = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) {
            exported.add(export(params.get(k), k * 10, List.of(3, 32, 32)));
        }
        RunGrid.Options unlimited = new RunGrid.Options(CUTS, List.of(RunGrid.CARRY), BATCH, Long.MAX_VALUE, dir,
                RunGrid.FLOAT32);
        List<HybridCell> inMemory = new ArrayList<>();
        long all;
        try (RunGrid a = new RunGrid(unlimited, List.of(test), null, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                inMemory.addAll(a.add(k * 10, OnnxSegmentedNet.load(exported.get(k).manifest(),
                        exported.get(k).segmentFiles(), new float[] {0, 0, 0}, new float[] {1, 1, 1},
                        OnnxSessionPlan.DEFAULT)));
            }
            assertEquals(0, a.cacheBytes()[1]);
            all = a.cacheBytes()[0];
        }
        long budget = all / 4;
        RunGrid.Options small = new RunGrid.Options(CUTS, List.of(RunGrid.CARRY), BATCH, budget, dir,
                RunGrid.FLOAT32);
        List<HybridCell> spilled = new ArrayList<>();
        List<HybridCell> heard = new ArrayList<>();
        int[] last = new int[2];
        try (RunGrid b = new RunGrid(small, List.of(test), null, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                spilled.addAll(b.add(k * 10, OnnxSegmentedNet.load(exported.get(k).manifest(),
                        exported.get(k).segmentFiles(), new float[] {0, 0, 0}, new float[] {1, 1, 1},
                        OnnxSessionPlan.DEFAULT),
                        (cells, done, expected) -> {
                            heard.addAll(cells);
                            last[0] = done;
                            last[1] = expected;
                        }));
                assertTrue(b.cacheBytes()[0] <= budget, "resident " + b.cacheBytes()[0] + " within " + budget);
            }
            assertTrue(b.cacheBytes()[0] > 0 && b.cacheBytes()[1] > 0, "some kept, those beyond the budget spilled");
            assertEquals(all, b.cacheBytes()[0] + b.cacheBytes()[1], "the same features, split");
            assertEquals(b.gridCellsExpected(), b.gridCellsComputed());
        }
        assertEquals(spilled, heard.stream().map(HybridCell::withoutPredictions).toList(),
                "the listener heard every cell, as computed");
        assertTrue(heard.stream().allMatch(c -> c.predictions() != null && c.predictions().size() == c.samples()),
                "with its per-image predictions (the grid's return values keep none)");
        assertEquals(CUTS.size() * 3, last[0], "the second checkpoint: 3 cells per cut");
        assertEquals(last[1], last[0]);
        assertEquals(inMemory.size(), spilled.size());
        for (int i = 0; i < inMemory.size(); i++) {
            assertEquals(inMemory.get(i).key(), spilled.get(i).key());
            assertEquals(inMemory.get(i).metrics(), spilled.get(i).metrics(), "spilling changes nothing");
        }
    }

    /** Publishes into lists instead of Kafka. */
    static final class Captured extends SplicerPublisher {
        final List<HybridEvaluated> cells = new ArrayList<>();
        final List<TcSummaryComputed> summaries = new ArrayList<>();
        final List<FeaturesSnapshotted> snapshots = new ArrayList<>();
        final List<GridProgress> progress = new ArrayList<>();

        Captured() {
            super(null);
        }

        @Override
        protected void send(String runId, Object payload) {
            if (payload instanceof HybridEvaluated cell) {
                cells.add(cell);
            } else if (payload instanceof TcSummaryComputed summary) {
                summaries.add(summary);
            } else if (payload instanceof FeaturesSnapshotted snapshot) {
                snapshots.add(snapshot);
            } else if (payload instanceof GridProgress p) {
                progress.add(p);
            } else {
                throw new AssertionError("the splicer published an unexpected payload: " + payload);
            }
        }
    }

    static SplicingService service(ArtifactStore store, SplicerPublisher publisher, Path spill) {
        return new SplicingService(store, publisher, CUTS, BATCH, 2, List.of("test"),
                List.of(RunGrid.CARRY, RunGrid.RECALIBRATE), 50, 64, spill.toString(), RunGrid.FLOAT32, 0.9, "cpu", 1);
    }

    /** What the gateway does with an import: the files and the import record into the store. */
    static CheckpointImported store(ArtifactStore store, String runId, int index, ExportedCheckpoint e) {
        return store(store, runId, index, e, null, null);
    }

    /** An import evaluated on the named test subset. */
    static CheckpointImported store(ArtifactStore store, String runId, int index, ExportedCheckpoint e,
            String evalSubset, List<Integer> evalIndices) {
        int step = e.manifest().step();
        ArtifactRef manifest = store.put(RunArtifacts.importedFile(runId, step, ImportManifest.FILE),
                e.files().get(ImportManifest.FILE), "application/json");
        List<ArtifactRef> segments = new ArrayList<>();
        for (ImportManifest.Segment s : e.manifest().segments()) {
            segments.add(store.put(RunArtifacts.importedFile(runId, step, s.file()), e.files().get(s.file()),
                    "application/onnx"));
        }
        CheckpointImported imported = new CheckpointImported(runId, step, index, "synthetic", EVAL, 1L,
                e.manifest(), manifest, segments, evalSubset, evalIndices);
        store.put(RunArtifacts.importRecord(runId, step), EventCodec.toJson(imported).getBytes(StandardCharsets.UTF_8),
                "application/json");
        return imported;
    }

    @Test
    void importsGrowTheirRunLikeCreatedCheckpointsAndTheHybridOfACheckpointWithItselfIsItself() {
        ArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        List<byte[]> params = checkpoints();
        String run = "imported-run";
        // step 0 and step 10 are the same weights; step 20 others
        List<CheckpointImported> events = List.of(store(store, run, 0, export(params.get(0), 0, List.of(3, 32, 32))),
                store(store, run, 1, export(params.get(0), 10, List.of(3, 32, 32))),
                store(store, run, 2, export(params.get(1), 20, List.of(3, 32, 32))));
        Captured captured = new Captured();
        SplicingService splicer = service(store, captured, dir.resolve("spill"));
        try {
            for (CheckpointImported e : events) {
                splicer.onImported(e);
            }
            splicer.onImported(events.get(1)); // redelivered: nothing new
        } finally {
            splicer.close();
        }
        assertEquals(CUTS.size() * (1 + 3 + 5), captured.cells.size(), "every cell once, in mode carry only");
        assertTrue(captured.cells.stream().allMatch(c -> c.bnMode().equals(RunGrid.CARRY)));
        assertTrue(captured.cells.stream().allMatch(c -> "stratified size=40 seed=1".equals(c.evalSubset())),
                "an import without an evaluation subset is evaluated on the seeded stratified one, and says so");
        assertEquals(3, captured.snapshots.size());
        for (FeaturesSnapshotted s : captured.snapshots) {
            FeatureSnapshot f = FeatureSnapshot.decode(store.get(s.features()));
            assertEquals(EVAL, f.labels().length);
        }
        // seeded initialisations: a TC summary only where some forward pair's deep donor is above chance
        boolean learnt = captured.cells.stream().anyMatch(c -> c.shallowStep() < c.deepStep()
                && Boolean.FALSE.equals(c.deepDonorAtChance()));
        assertEquals(learnt, !captured.summaries.isEmpty(), "summaries " + captured.summaries);
        if (learnt) {
            TcSummaryComputed last = captured.summaries.get(captured.summaries.size() - 1);
            assertEquals(List.of(0, 10, 20), last.steps());
        }

        // the hybrid of an imported checkpoint with itself reproduces its own predictions
        for (HybridEvaluated c : captured.cells) {
            if ((c.shallowStep() == 0 && c.deepStep() == 10) || (c.shallowStep() == 10 && c.deepStep() == 0)) {
                assertEquals(1.0, c.metrics().get(HybridMetrics.AGREEMENT_DEEP), c.toString());
                assertEquals(1.0, c.metrics().get(HybridMetrics.AGREEMENT_SHALLOW), c.toString());
                if (Boolean.TRUE.equals(c.deepDonorAtChance())) {
                    assertNull(c.metrics().get(HybridMetrics.RELATIVE_ACCURACY), "at chance: " + c);
                } else {
                    assertEquals(1.0, c.metrics().get(HybridMetrics.RELATIVE_ACCURACY), 1e-9, c.toString());
                }
                assertNotNull(c.deepDonorAtChance(), c.toString());
            }
        }

        // and the cells are those of the same weights evaluated directly on the same evaluation subset
        ImageDataset test = Datasets.evalSubset(ImportFit.config(events.get(0)));
        RunGrid.Options options = new RunGrid.Options(CUTS, List.of(RunGrid.CARRY), BATCH, Long.MAX_VALUE, dir,
                RunGrid.FLOAT32);
        List<HybridCell> direct = new ArrayList<>();
        try (RunGrid djl = new RunGrid(options, List.of(test), null, NDManager.newBaseManager())) {
            int[] which = {0, 0, 1};
            for (int k = 0; k < 3; k++) {
                direct.addAll(djl.add(k * 10, Checkpoints.load(SPEC, params.get(which[k]), djl.manager())));
            }
        }
        List<HybridCell> got = captured.cells.stream().map(c -> new HybridCell(c.cut(), c.evalSet(), c.bnMode(),
                c.precision(), c.shallowStep(), c.deepStep(), c.samples(), c.metrics())).toList();
        assertSameCells(direct, got);

        // after a restart, a new import restores the run's earlier imports from the store and adds its own cells only
        Captured after = new Captured();
        SplicingService restarted = service(store, after, dir.resolve("spill"));
        try {
            restarted.onImported(store(store, run, 3, export(params.get(1), 30, List.of(3, 32, 32))));
        } finally {
            restarted.close();
        }
        assertEquals(CUTS.size() * 7, after.cells.size(), "row and column of step 30 (stored cells are not redone)");
    }

    @Test
    void anImportOnListedTestImagesIsEvaluatedOnThemInTheirOrderAndEveryCellSaysSo() {
        ArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        List<byte[]> params = checkpoints();
        String run = "listed-run";
        List<Integer> listed = java.util.stream.IntStream.range(0, EVAL).map(i -> 1999 - 7 * i).boxed().toList();
        List<CheckpointImported> events = new ArrayList<>();
        Captured captured = new Captured();
        SplicingService splicer = service(store, captured, dir.resolve("spill"));
        try {
            for (int k = 0; k < params.size(); k++) {
                events.add(store(store, run, k, export(params.get(k), k * 10, List.of(3, 32, 32)), "indices",
                        listed));
                splicer.onImported(events.get(k));
            }
        } finally {
            splicer.close();
        }
        assertEquals(CUTS.size() * (1 + 3), captured.cells.size());
        String described = "indices size=40 sha256=" + io.splicelab.model.values.EvalSubset.fingerprint(listed);
        for (HybridEvaluated c : captured.cells) {
            assertEquals(described, c.evalSubset(), c.toString());
            assertEquals(EVAL, c.samples());
        }

        // the cells are those of the same weights evaluated directly on those test images, in that order
        ImageDataset split = Datasets.test(ImportFit.config(events.get(0)));
        ImageDataset images = split.subset("test", listed.stream().mapToInt(Integer::intValue).toArray());
        RunGrid.Options options = new RunGrid.Options(CUTS, List.of(RunGrid.CARRY), BATCH, Long.MAX_VALUE, dir,
                RunGrid.FLOAT32);
        List<HybridCell> direct = new ArrayList<>();
        try (RunGrid djl = new RunGrid(options, List.of(images), null, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                direct.addAll(djl.add(k * 10, Checkpoints.load(SPEC, params.get(k), djl.manager())));
            }
        }
        List<HybridCell> got = captured.cells.stream().map(c -> new HybridCell(c.cut(), c.evalSet(), c.bnMode(),
                c.precision(), c.shallowStep(), c.deepStep(), c.samples(), c.metrics())).toList();
        assertSameCells(direct, got);

        // an import event that lists an image twice (one that did not come through the gateway) does not fit: it is
        // refused, naming the field, before anything is evaluated
        CheckpointImported repeated = store(store, "bad-run", 0, export(params.get(0), 0, List.of(3, 32, 32)),
                "indices", java.util.Collections.nCopies(EVAL, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImportFit.requireFit(
                repeated, ImportFit.config(repeated), CUTS));
        assertEquals("evalIndices must be distinct", e.getMessage());
    }

    @Test
    void anImportWhoseDatasetDoesNotFitItsInputIsDeadLetteredAndNothingIsStored() {
        ArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        String run = "misfit";
        CheckpointImported imported = store(store, run, 0, export(checkpoints().get(0), 0, List.of(1, 28, 28)));
        List<String> before = store.list(RunArtifacts.runPrefix(run));
        Captured captured = new Captured();
        List<String> reasons = new ArrayList<>();
        RecordGate gate = new RecordGate(letter -> {
            assertEquals(Topics.CHECKPOINTS, letter.sourceTopic());
            reasons.add(letter.reason());
        }, new FatalErrors());
        SplicingService splicer = service(store, captured, dir.resolve("spill"));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> splicer.onImported(imported));
            assertTrue(e.getMessage().contains("input.shape"), e.getMessage());
            CheckpointConsumer consumer = new CheckpointConsumer(new CheckpointAcceptance(store, CUTS),
                    new PendingWork(store), new SplicerWorker(splicer, new PendingWork(store), new FatalErrors()), gate);
            String json = new EventCodec("/gateway").encode(run, imported);
            consumer.onCheckpoint(Message.of(json, () -> CompletableFuture.completedFuture(null)));
        } finally {
            splicer.close();
        }
        assertEquals(1, reasons.size());
        assertTrue(reasons.get(0).contains("dataset synthetic has images of shape [3, 32, 32]"), reasons.get(0));
        assertTrue(captured.cells.isEmpty() && captured.snapshots.isEmpty());
        assertEquals(before, store.list(RunArtifacts.runPrefix(run)), "nothing stored");
    }

    static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
