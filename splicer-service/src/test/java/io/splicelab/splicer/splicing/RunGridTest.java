package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import io.splicelab.model.net.Networks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunGridTest {
    static final NetworkSpec SPEC = new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10);
    static final List<String> CUTS = List.of("stem", "stage1", "stage2");

    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    /** Three distinct checkpoints as parameter bytes (seeded initialisations). */
    static List<byte[]> checkpoints() {
        List<byte[]> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 1; seed <= 3; seed++) {
                Engine.getInstance().setRandomSeed(seed);
                CutNetwork net = Networks.build(SPEC);
                net.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(SPEC));
                out.add(Checkpoints.save(net.block()));
            }
        }
        return out;
    }

    @Test
    void everyCellEqualsAPlainUncachedEvaluationAndTheDiagonalIsTheCheckpoint() {
        ImageDataset eval = SyntheticImages.split("test", 60);
        List<byte[]> params = checkpoints();
        List<HybridCell> cells = new ArrayList<>();
        try (RunGrid grid = new RunGrid(eval, CUTS, 25, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                List<HybridCell> added = grid.add(k * 10, Checkpoints.load(SPEC, params.get(k), grid.manager()));
                assertEquals(CUTS.size() * (2 * k + 1), added.size(), "row and column of checkpoint " + k);
                cells.addAll(added);
            }
            assertEquals(List.of(), grid.add(10, Checkpoints.load(SPEC, params.get(1), grid.manager())),
                    "a redelivered checkpoint adds nothing");
            Map<String, float[][]> pooled = grid.pooledFeatures(20);
            assertEquals(60, pooled.get("stage1").length);
            assertEquals(4, pooled.get("stage1")[0].length);
            assertEquals(8, pooled.get("stage2")[0].length);
        }
        assertEquals(CUTS.size() * 9, cells.size());

        try (NDManager m = NDManager.newBaseManager()) {
            List<CutNetwork> nets = new ArrayList<>();
            Map<Integer, int[]> plain = new HashMap<>();
            for (int k = 0; k < params.size(); k++) {
                nets.add(Checkpoints.load(SPEC, params.get(k), m));
                plain.put(k * 10, Inference.argmax(Inference.logits(nets.get(k), eval, 25, m)));
            }
            for (HybridCell cell : cells) {
                CutNetwork shallow = nets.get(cell.shallowStep() / 10);
                CutNetwork deep = nets.get(cell.deepStep() / 10);
                int[] expected = Inference.argmax(Inference.hybridLogits(shallow, deep, cell.cut(), eval, 25, m));
                Map<String, Double> metrics = HybridMetrics.of(expected, eval.labels(), plain.get(cell.deepStep()),
                        plain.get(cell.shallowStep()));
                assertEquals(metrics, cell.metrics(), "cell " + cell);
                if (cell.shallowStep() == cell.deepStep()) {
                    assertArrayEquals(plain.get(cell.deepStep()), expected, "self-hybrid at " + cell.cut());
                    assertEquals(1.0, cell.metrics().get(HybridMetrics.AGREEMENT_DEEP));
                }
            }
        }
    }

    @Test
    void metricsAreFractionsOfAgreement() {
        int[] labels = {0, 1, 2, 3};
        Map<String, Double> m = HybridMetrics.of(new int[] {0, 1, 0, 0}, labels, new int[] {0, 1, 2, 0},
                new int[] {0, 0, 0, 0});
        assertEquals(0.5, m.get(HybridMetrics.ACCURACY));
        assertEquals(0.75, m.get(HybridMetrics.AGREEMENT_DEEP));
        assertEquals(0.75, m.get(HybridMetrics.AGREEMENT_SHALLOW));
        assertEquals(0.5 / 0.75, m.get(HybridMetrics.RELATIVE_ACCURACY), 1e-12);
    }
}
