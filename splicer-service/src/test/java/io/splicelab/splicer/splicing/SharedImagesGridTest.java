package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.splicer.DjlOfflineExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation sets that differ only in their labels (a label-noise run's {@code train} and {@code train-noisy})
 * share their features and hybrid logits: each set's cells are those it gets on its own, for half the deep work.
 */
@ExtendWith(DjlOfflineExtension.class)
class SharedImagesGridTest {
    @TempDir
    Path spill;

    @Test
    void setsWithTheSameImagesShareTheWorkAndKeepTheirOwnMetrics() {
        List<byte[]> params = RunGridTest.checkpoints();
        ImageDataset clean = SyntheticImages.split("test", 60).subset("train", RunGridTest.range(60));
        int[] shuffled = clean.labels().clone();
        for (int i = 0; i < shuffled.length; i += 3) {
            shuffled[i] = (shuffled[i] + 1) % clean.numClasses();
        }
        ImageDataset noisy = new ImageDataset("train-noisy", clean.channels(), clean.height(), clean.width(),
                clean.numClasses(), clean.pixels().clone(), shuffled);
        RunGrid.Options options = new RunGrid.Options(RunGridTest.CUTS, List.of(RunGrid.CARRY), RunGridTest.BATCH,
                1L << 30, spill, RunGrid.FLOAT32);

        List<HybridCell> both = new ArrayList<>();
        long sharedDeepImages;
        try (RunGrid grid = new RunGrid(options, List.of(clean, noisy), null, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                both.addAll(grid.add(k * 10, Checkpoints.load(RunGridTest.SPEC, params.get(k), grid.manager())));
            }
            sharedDeepImages = grid.deepImages();
        }
        List<HybridCell> alone = new ArrayList<>();
        long aloneDeepImages;
        try (RunGrid grid = new RunGrid(options, List.of(noisy), null, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                alone.addAll(grid.add(k * 10, Checkpoints.load(RunGridTest.SPEC, params.get(k), grid.manager())));
            }
            aloneDeepImages = grid.deepImages();
        }
        List<HybridCell> noisyCells = both.stream().filter(c -> c.evalSet().equals("train-noisy")).toList();
        assertEquals(alone.size(), noisyCells.size());
        for (int i = 0; i < alone.size(); i++) {
            assertEquals(alone.get(i).key(), noisyCells.get(i).key());
            assertEquals(alone.get(i).metrics(), noisyCells.get(i).metrics(), alone.get(i).key().toString());
        }
        assertEquals(aloneDeepImages, sharedDeepImages, "the second set of the same images costs no deep pass");
        // and the clean set's own metrics differ where the labels differ
        HybridCell cleanDiagonal = both.stream().filter(c -> c.evalSet().equals("train") && c.shallowStep() == 0
                && c.deepStep() == 0 && c.cut().equals("stem")).findFirst().orElseThrow();
        HybridCell noisyDiagonal = noisyCells.stream().filter(c -> c.shallowStep() == 0 && c.deepStep() == 0
                && c.cut().equals("stem")).findFirst().orElseThrow();
        assertEquals(cleanDiagonal.metrics().get("agreementDeep"), noisyDiagonal.metrics().get("agreementDeep"));
    }
}
