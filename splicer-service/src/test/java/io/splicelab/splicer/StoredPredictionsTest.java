package io.splicelab.splicer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.features.HybridPredictions;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.splicer.splicing.HybridMetrics;
import io.splicelab.splicer.splicing.SeededCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The splicer stores every cell's per-image predictions in the artifact store, at the key the cell's natural key
 * gives, before the cell itself: they count the cell's published accuracy, name each image by its row in the test
 * split, and a cell computed again (its record lost in a crash) rewrites them with the same bytes.
 */
@ExtendWith(DjlOfflineExtension.class)
class StoredPredictionsTest {
    @TempDir
    Path dir;

    @Test
    void everyPublishedCellHasItsPredictionsStoredAndARecomputedCellRewritesThemIdentically() throws Exception {
        ArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        List<byte[]> params = SeededCheckpoints.of(OnnxImportTest.SPEC, 2);
        OnnxImportTest.Captured captured = new OnnxImportTest.Captured();
        SplicingService splicer = RestoreFromStoreTest.service(store, captured, dir.resolve("spill"), 2);
        try {
            splicer.onCheckpoint(RestoreFromStoreTest.store(store, "p", 0, params.get(0)));
            splicer.onCheckpoint(RestoreFromStoreTest.store(store, "p", 10, params.get(1)));
        } finally {
            splicer.close();
        }
        RunConfig config = RestoreFromStoreTest.config();
        ImageDataset test = Datasets.test(config);
        int[] splitIndices = Datasets.evalIndices(config, test);
        int[] labels = Datasets.evalSubset(config).labels();
        assertEquals(RestoreFromStoreTest.CUTS.size() * 4, captured.cells.size());
        Map<String, byte[]> stored = new HashMap<>();
        for (HybridEvaluated cell : captured.cells) {
            String key = RunArtifacts.hybridPredictions("p", cell.cut(), cell.evalSet(), cell.bnMode(),
                    cell.shallowStep(), cell.deepStep());
            assertTrue(store.exists(key), "predictions of " + cell);
            byte[] bytes = store.read(key);
            stored.put(key, bytes);
            HybridPredictions p = HybridPredictions.decode(bytes);
            assertEquals(cell.samples(), p.size());
            assertEquals(cell.metrics().get(HybridMetrics.ACCURACY), p.accuracy(),
                    "count of predicted == label / n is the published accuracy of " + cell);
            assertArrayEquals(splitIndices, p.splitIndex(), "each image's row in the test split");
            assertArrayEquals(labels, p.label());
        }
        assertEquals(captured.cells.size(), store.list(RunArtifacts.predictionsPrefix("p")).size(), "one file a cell");

        // a crash after the predictions of step 10 were written and before its cells were: the cells are computed
        // again at the restart and their predictions rewritten, the same bytes (one file was left damaged)
        for (String key : store.list(SplicerRecords.cellsPrefix("p"))) {
            if (key.contains("step-00000010")) {
                store.deleteAll(key);
            }
        }
        String damaged = RunArtifacts.hybridPredictions("p", "stage1", "test", "carry", 0, 10);
        store.replace(damaged, new byte[] {1, 2, 3}, HybridPredictions.MEDIA_TYPE);
        OnnxImportTest.Captured again = new OnnxImportTest.Captured();
        SplicingService restarted = RestoreFromStoreTest.service(store, again, dir.resolve("spill"), 2);
        try {
            restarted.onCheckpoint(RestoreFromStoreTest.store(store, "p", 10, params.get(1)));
        } finally {
            restarted.close();
        }
        assertEquals(RestoreFromStoreTest.CUTS.size() * 3, again.cells.size(), "step 10's row and column again");
        assertFalse(again.cells.stream().anyMatch(c -> c.shallowStep() == 0 && c.deepStep() == 0),
                "the stored diagonal of step 0 is not redone");
        for (Map.Entry<String, byte[]> e : stored.entrySet()) {
            assertArrayEquals(e.getValue(), store.read(e.getKey()), "rewritten identically: " + e.getKey());
        }
        try (Stream<Path> files = Files.walk(dir.resolve("artifacts").resolve(RunArtifacts.predictionsPrefix("p")))) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-")), "no temporary file left");
        }
    }
}
