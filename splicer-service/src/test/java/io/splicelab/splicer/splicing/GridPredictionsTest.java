package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.features.HybridPredictions;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import io.splicelab.splicer.DjlOfflineExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cell the grid computes comes with what it predicted for every image (for the per-image diff of two
 * engines): the predictions count exactly the cell's accuracy, are those of a plain evaluation of the same hybrid,
 * and name each image by its row in the split, through the evaluation set's subset.
 */
@ExtendWith(DjlOfflineExtension.class)
class GridPredictionsTest {
    static final int BATCH = 16;

    @TempDir
    Path spill;

    @Test
    void aComputedCellsPredictionsMatchItsAccuracyAndAPlainEvaluation() {
        // an evaluation subset picked out of the synthetic test split, out of order: its split indices are the picks
        int[] picks = new int[36];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = 197 - 5 * i;
        }
        ImageDataset test = SyntheticImages.split("test", 200).subset("test", picks);
        ImageDataset train = SyntheticImages.split("train", 60).subset("train", range(24, 60));
        ImageDataset noisy = train.relabelled("train-noisy", shifted(train.labels(), train.numClasses()));
        ImageDataset recal = SyntheticImages.split("train", 40).subset("recal", range(0, 16));
        List<byte[]> params = SeededCheckpoints.of(RunGridTest.SPEC, 2);
        RunGrid.Options options = new RunGrid.Options(RunGridTest.CUTS, List.of(RunGrid.CARRY, RunGrid.RECALIBRATE),
                BATCH, Long.MAX_VALUE, spill, RunGrid.FLOAT32);
        List<HybridCell> heard = new ArrayList<>();
        try (RunGrid grid = new RunGrid(options, List.of(test, train, noisy), recal, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                List<HybridCell> returned = grid.add(k * 10, SegmentedNet.of(Checkpoints.load(RunGridTest.SPEC,
                        params.get(k), grid.manager())), (cells, done, expected) -> heard.addAll(cells));
                for (HybridCell cell : returned) {
                    assertNull(cell.predictions(), "the grid's return values keep no predictions: " + cell);
                }
            }
        }
        assertEquals(RunGridTest.CUTS.size() * 4 * 3 * 2, heard.size(), "every cell of the 2 x 2 grid");

        try (NDManager m = NDManager.newBaseManager()) {
            List<CutNetwork> nets = new ArrayList<>();
            for (byte[] p : params) {
                nets.add(Checkpoints.load(RunGridTest.SPEC, p, m));
            }
            for (HybridCell cell : heard) {
                HybridPredictions p = cell.predictions();
                assertNotNull(p, "a computed cell has its predictions: " + cell);
                ImageDataset e = switch (cell.evalSet()) {
                    case "test" -> test;
                    case "train" -> train;
                    default -> noisy;
                };
                assertEquals(cell.samples(), p.size());
                int correct = 0;
                for (int i = 0; i < p.size(); i++) {
                    correct += p.predicted()[i] == p.label()[i] ? 1 : 0;
                }
                assertEquals(cell.metrics().get(HybridMetrics.ACCURACY), (double) correct / p.size(),
                        "predicted == label counts the accuracy of " + cell);
                assertArrayEquals(e.labels(), p.label(), "the labels the cell is scored against: " + cell);
                assertArrayEquals(e == test ? picks : range(24, 60), p.splitIndex(), "rows in the split: " + cell);
                if (RunGrid.CARRY.equals(cell.bnMode())) {
                    float[][] logits = Inference.hybridLogits(nets.get(cell.shallowStep() / 10),
                            nets.get(cell.deepStep() / 10), cell.cut(), e, BATCH, m);
                    HybridPredictions plain = HybridPredictions.of(logits, e.labels(), e.splitIndices());
                    assertArrayEquals(plain.predicted(), p.predicted(), "a plain evaluation of " + cell);
                    assertArrayEquals(plain.logitMargin(), p.logitMargin(), 1e-4f, "margins of " + cell);
                }
                for (float margin : p.logitMargin()) {
                    assertTrue(margin >= 0, "top-1 minus top-2 is never negative: " + margin);
                }
            }
        }
    }

    static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static int[] shifted(int[] labels, int classes) {
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i += 3) {
            out[i] = (out[i] + 1) % classes;
        }
        return out;
    }
}
