package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.BatchNormFolding;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import io.splicelab.splicer.DjlOfflineExtension;
import io.splicelab.splicer.splicing.HybridCell.CellKey;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DjlOfflineExtension.class)
class RunGridTest {
    static final NetworkSpec SPEC = new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10);
    static final List<String> CUTS = List.of("stem", "stage1", "stage2");
    static final int BATCH = 25;

    @TempDir
    Path spill;

    /** Three distinct checkpoints as parameter bytes (seeded initialisations). */
    static List<byte[]> checkpoints() {
        return SeededCheckpoints.of(SPEC, 3);
    }

    static List<HybridCell> grid(RunGrid.Options options, List<ImageDataset> evalSets, ImageDataset recal,
            List<byte[]> params, boolean checkCounts) {
        List<HybridCell> cells = new ArrayList<>();
        int perPair = options.cuts().size() * evalSets.size() * options.bnModes().size();
        try (RunGrid grid = new RunGrid(options, evalSets, recal, NDManager.newBaseManager())) {
            for (int k = 0; k < params.size(); k++) {
                List<HybridCell> added = grid.add(k * 10, Checkpoints.load(SPEC, params.get(k), grid.manager()));
                if (checkCounts) {
                    assertEquals(perPair * (2 * k + 1), added.size(), "row and column of checkpoint " + k);
                }
                cells.addAll(added);
            }
            assertEquals(List.of(), grid.add(10, Checkpoints.load(SPEC, params.get(1), grid.manager())),
                    "a redelivered checkpoint adds nothing");
            Map<String, float[][]> pooled = grid.pooledFeatures(20);
            assertEquals(evalSets.get(0).size(), pooled.get("stage1").length);
            assertEquals(4, pooled.get("stage1")[0].length);
            assertEquals(8, pooled.get("stage2")[0].length);
        }
        return cells;
    }

    @Test
    void everyCellEqualsAPlainUncachedEvaluationAndTheDiagonalIsTheCheckpoint() {
        ImageDataset test = SyntheticImages.split("test", 40).subset("test", range(40));
        ImageDataset train = SyntheticImages.split("train", 20).subset("train", range(20));
        ImageDataset recal = SyntheticImages.split("train", 40).subset("recal", range(20, 40)); // one batch
        List<byte[]> params = checkpoints();
        RunGrid.Options options = new RunGrid.Options(CUTS, List.of(RunGrid.CARRY, RunGrid.RECALIBRATE), BATCH,
                Long.MAX_VALUE, spill, RunGrid.FLOAT32);
        List<HybridCell> cells = grid(options, List.of(test, train), recal, params, true);
        assertEquals(CUTS.size() * 9 * 2 * 2, cells.size());

        // the same grid with every feature spilled to disk
        RunGrid.Options spilling = new RunGrid.Options(CUTS, List.of(RunGrid.CARRY), BATCH, 0, spill,
                RunGrid.FLOAT32);
        List<HybridCell> spilled = grid(spilling, List.of(test), recal, params, true);
        assertEquals(cells.stream().filter(c -> c.evalSet().equals("test") && c.bnMode().equals(RunGrid.CARRY))
                .toList(), spilled, "spilled features give the same cells");

        try (NDManager m = NDManager.newBaseManager()) {
            List<CutNetwork> nets = new ArrayList<>();
            for (byte[] p : params) {
                nets.add(Checkpoints.load(SPEC, p, m));
            }
            Map<String, Map<Integer, float[][]>> plain = new HashMap<>();
            for (ImageDataset e : List.of(test, train)) {
                Map<Integer, float[][]> byStep = new HashMap<>();
                for (int k = 0; k < nets.size(); k++) {
                    byStep.put(k * 10, Inference.logits(nets.get(k), e, BATCH, m));
                }
                plain.put(e.name(), byStep);
            }
            for (HybridCell cell : cells) {
                ImageDataset e = cell.evalSet().equals("test") ? test : train;
                CutNetwork shallow = nets.get(cell.shallowStep() / 10);
                CutNetwork deep = RunGrid.RECALIBRATE.equals(cell.bnMode())
                        ? recalibrated(params.get(cell.deepStep() / 10), shallow, cell.cut(), recal, m)
                        : nets.get(cell.deepStep() / 10);
                float[][] expected = Inference.hybridLogits(shallow, deep, cell.cut(), e, BATCH, m);
                float[][] deepPlain = plain.get(e.name()).get(cell.deepStep());
                float[][] shallowPlain = plain.get(e.name()).get(cell.shallowStep());
                Map<String, Double> want = expectedMetrics(expected, e.labels(), deepPlain, shallowPlain);
                want.put(HybridMetrics.PARAM_DISTANCE, paramDistance(shallow, nets.get(cell.deepStep() / 10),
                        cell.cut()));
                want.put(HybridMetrics.FEATURE_DISTANCE, featureDistance(shallow, nets.get(cell.deepStep() / 10),
                        cell.cut(), e, m));
                assertEquals(want.keySet(), cell.metrics().keySet());
                assertEquals(deepAtChance(deepPlain, e.labels()), cell.deepDonorAtChance(), "chance flag of " + cell);
                for (String metric : want.keySet()) {
                    assertEquals(want.get(metric), cell.metrics().get(metric), 1e-5, metric + " of " + cell);
                }
                assertEquals(RunGrid.FLOAT32, cell.precision());
                if (cell.shallowStep() == cell.deepStep() && RunGrid.CARRY.equals(cell.bnMode())) {
                    assertArrayEquals(Inference.argmax(deepPlain), Inference.argmax(expected),
                            "self-hybrid at " + cell.cut());
                    assertEquals(1.0, cell.metrics().get(HybridMetrics.AGREEMENT_DEEP));
                    assertEquals(0.0, cell.metrics().get(HybridMetrics.KL_DEEP));
                }
            }
        }
        // recalibration changes something
        long differ = cells.stream().filter(c -> c.bnMode().equals(RunGrid.RECALIBRATE)).filter(c -> {
            HybridCell carry = cells.stream().filter(o -> o.key().equals(new CellKey(c.cut(), c.evalSet(),
                    RunGrid.CARRY, c.shallowStep(), c.deepStep()))).findFirst().orElseThrow();
            return !carry.metrics().get(HybridMetrics.CROSS_ENTROPY).equals(c.metrics().get(HybridMetrics.CROSS_ENTROPY));
        }).count();
        assertTrue(differ > 0, "recalibrated cells differ from carried ones");
    }

    @Test
    void storedCellsAreNeverRecomputedAndSummariesCoverThem() {
        ImageDataset test = SyntheticImages.split("test", 30);
        List<byte[]> params = checkpoints();
        RunGrid.Options options = RunGrid.Options.of(List.of("stage1"), BATCH);
        List<HybridCell> first;
        try (RunGrid grid = new RunGrid(options, List.of(test), null, NDManager.newBaseManager())) {
            first = new ArrayList<>(grid.add(0, Checkpoints.load(SPEC, params.get(0), grid.manager())));
            first.addAll(grid.add(10, Checkpoints.load(SPEC, params.get(1), grid.manager())));
        }
        try (RunGrid grid = new RunGrid(options, List.of(test), null, NDManager.newBaseManager())) {
            first.forEach(grid::remember);
            assertEquals(List.of(), grid.add(0, Checkpoints.load(SPEC, params.get(0), grid.manager())));
            assertEquals(List.of(), grid.add(10, Checkpoints.load(SPEC, params.get(1), grid.manager())));
            List<HybridCell> third = grid.add(20, Checkpoints.load(SPEC, params.get(2), grid.manager()));
            assertEquals(5, third.size());
            // seeded initialisations: a summary covers every checkpoint when a deep donor is above chance; pairs
            // whose deep donor is at chance are counted, not averaged; none at all when every one is at chance
            List<HybridCell> all = new ArrayList<>(first);
            all.addAll(third);
            long learnt = all.stream().filter(c -> c.shallowStep() < c.deepStep())
                    .filter(c -> !c.deepDonorAtChance()).count();
            assertTrue(all.stream().filter(c -> c.shallowStep() < c.deepStep()).allMatch(
                    c -> c.deepDonorAtChance() == (c.metrics().get(HybridMetrics.RELATIVE_ACCURACY) == null)));
            List<TcSummary> summaries = grid.summaries(0.9);
            assertEquals(learnt == 0 ? 0 : 1, summaries.size(), "a summary when some deep donor is above chance");
            for (TcSummary s : summaries) {
                assertEquals(List.of(0, 10, 20), s.steps());
                assertEquals(learnt, s.all().pairs());
                assertEquals(3 - learnt, s.chancePairs(), "the rest of the forward triangle of 3 checkpoints");
            }
        }
    }

    @Test
    void tcSummaryAveragesByLagAndFindsTheDrop() {
        Map<List<Integer>, Double> rel = new LinkedHashMap<>();
        rel.put(List.of(0, 1), 1.0);
        rel.put(List.of(1, 2), 0.9);
        rel.put(List.of(2, 3), 0.95);
        rel.put(List.of(0, 2), 0.8);
        rel.put(List.of(1, 3), 0.9);
        rel.put(List.of(0, 3), 0.5);
        rel.put(List.of(3, 0), 0.1); // backward: not in the curve
        TcSummary s = TcSummary.of("stem", "test", "carry", List.of(0, 1, 2, 3), rel, 0.9);
        assertEquals(0.95, s.curve().get("1"), 1e-12);
        assertEquals(0.85, s.curve().get("2"), 1e-12);
        assertEquals(0.5, s.curve().get("3"), 1e-12);
        assertEquals((1.0 + 0.9 + 0.95 + 0.8 + 0.9 + 0.5) / 6, s.tcScore(), 1e-12);
        assertEquals(2, s.dropLag());
        assertNull(TcSummary.of("stem", "test", "carry", List.of(0, 1), Map.of(List.of(0, 1), 0.95), 0.9).dropLag());
    }

    @Test
    void recalibrationIsTheCumulativeAverageAndIsUndone() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = BatchNorm.builder().build();
            bn.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 2, 3, 3));
            ParameterStore ps = new ParameterStore(m, false);
            Parameter mean = param(bn, Parameter.Type.RUNNING_MEAN);
            Parameter var = param(bn, Parameter.Type.RUNNING_VAR);
            float[] mean0 = mean.getArray().toFloatArray();
            NDArray x1 = m.randomNormal(new ai.djl.ndarray.types.Shape(4, 2, 3, 3)).add(3);
            NDArray x2 = m.randomNormal(new ai.djl.ndarray.types.Shape(2, 2, 3, 3)).mul(2);
            try (BnRecalibration r = new BnRecalibration(List.of(bn))) {
                r.beforeBatch(4);
                bn.forward(ps, new NDList(x1), true);
                r.beforeBatch(2);
                bn.forward(ps, new NDList(x2), true);
                float[] got = mean.getArray().toFloatArray();
                float[] gotVar = var.getArray().toFloatArray();
                for (int c = 0; c < 2; c++) {
                    double m1 = x1.get(":, " + c).mean().getFloat();
                    double m2 = x2.get(":, " + c).mean().getFloat();
                    assertEquals((4 * m1 + 2 * m2) / 6, got[c], 1e-4, "running mean of channel " + c);
                    double v1 = unbiasedVar(x1.get(":, " + c).toFloatArray());
                    double v2 = unbiasedVar(x2.get(":, " + c).toFloatArray());
                    assertEquals((4 * v1 + 2 * v2) / 6, gotVar[c], 1e-3, "running var of channel " + c);
                }
            }
            assertArrayEquals(mean0, mean.getArray().toFloatArray(), "statistics restored");
        }
    }

    static double unbiasedVar(float[] v) {
        double mean = 0;
        for (float f : v) {
            mean += f;
        }
        mean /= v.length;
        double s = 0;
        for (float f : v) {
            s += (f - mean) * (f - mean);
        }
        return s / (v.length - 1);
    }

    static Parameter param(Block block, Parameter.Type type) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getType() == type) {
                return p.getValue();
            }
        }
        throw new IllegalArgumentException("no " + type);
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

    // ---- the plain, uncached evaluation the grid must equal ----

    static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    static int[] range(int n) {
        return range(0, n);
    }

    /** A fresh copy of the deep donor with its deep part's BatchNorm statistics re-estimated in one batch. */
    static CutNetwork recalibrated(byte[] deepParams, CutNetwork shallow, String cut, ImageDataset recal,
            NDManager m) {
        CutNetwork deep = Checkpoints.load(SPEC, deepParams, m);
        List<BatchNorm> bns = new ArrayList<>();
        List<Block> children = deep.block().getChildren().values();
        for (int i = deep.cutIndex(cut); i < children.size(); i++) {
            collect(children.get(i), bns);
        }
        try {
            Field f = BatchNorm.class.getDeclaredField("momentum");
            f.setAccessible(true);
            for (BatchNorm bn : bns) {
                f.setFloat(bn, 0f); // running statistics := this batch's
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        ParameterStore ps = new ParameterStore(m, false);
        try (NDManager batch = m.newSubManager()) {
            // the grid's recalibration inputs: the shallow part's inference form, as its feature cache holds them
            NDList z = BatchNormFolding.fold(shallow, batch).shallow(ps, new NDList(recal.images(batch, 0,
                    recal.size())), cut);
            deep.forward(ps, z, deep.cutIndex(cut), deep.segments().size(), true);
        }
        return deep;
    }

    static void collect(Block b, List<BatchNorm> out) {
        if (b instanceof BatchNorm bn) {
            out.add(bn);
        }
        b.getChildren().values().forEach(c -> collect(c, out));
    }

    static Map<String, Double> expectedMetrics(float[][] hybrid, int[] labels, float[][] deep, float[][] shallow) {
        int[] h = Inference.argmax(hybrid);
        int[] d = Inference.argmax(deep);
        int[] s = Inference.argmax(shallow);
        int n = labels.length;
        double acc = 0;
        double accDeep = 0;
        double agreeD = 0;
        double agreeS = 0;
        double ce = 0;
        double kl = 0;
        for (int i = 0; i < n; i++) {
            acc += h[i] == labels[i] ? 1 : 0;
            accDeep += d[i] == labels[i] ? 1 : 0;
            agreeD += h[i] == d[i] ? 1 : 0;
            agreeS += h[i] == s[i] ? 1 : 0;
            double[] ph = softmax(hybrid[i]);
            double[] pd = softmax(deep[i]);
            ce += -Math.log(ph[labels[i]]);
            for (int c = 0; c < ph.length; c++) {
                kl += pd[c] * Math.log(pd[c] / ph[c]);
            }
        }
        Map<String, Double> m = new HashMap<>();
        m.put(HybridMetrics.ACCURACY, acc / n);
        m.put(HybridMetrics.AGREEMENT_DEEP, agreeD / n);
        m.put(HybridMetrics.AGREEMENT_SHALLOW, agreeS / n);
        m.put(HybridMetrics.CROSS_ENTROPY, ce / n);
        m.put(HybridMetrics.KL_DEEP, kl / n);
        if (accDeep > 0 && !deepAtChance(deep, labels)) {
            m.put(HybridMetrics.RELATIVE_ACCURACY, acc / accDeep);
        }
        return m;
    }

    /** The chance rule written out: accuracy at most 1/K + 2 sqrt((1/K)(1 - 1/K)/n), K the logits per row. */
    static boolean deepAtChance(float[][] deep, int[] labels) {
        int[] d = Inference.argmax(deep);
        double hits = 0;
        for (int i = 0; i < labels.length; i++) {
            hits += d[i] == labels[i] ? 1 : 0;
        }
        double p = 1.0 / deep[0].length;
        return hits / labels.length <= p + 2 * Math.sqrt(p * (1 - p) / labels.length);
    }

    static double[] softmax(float[] row) {
        double sum = 0;
        double[] out = new double[row.length];
        for (int c = 0; c < row.length; c++) {
            out[c] = Math.exp(row[c]);
            sum += out[c];
        }
        for (int c = 0; c < row.length; c++) {
            out[c] /= sum;
        }
        return out;
    }

    static double paramDistance(CutNetwork a, CutNetwork b, String cut) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.cutIndex(cut); i++) {
            ai.djl.nn.ParameterList pa = a.block().getChildren().get(i).getValue().getParameters();
            ai.djl.nn.ParameterList pb = b.block().getChildren().get(i).getValue().getParameters();
            for (int j = 0; j < pa.size(); j++) {
                if (pa.get(j).getValue().getType() == Parameter.Type.RUNNING_MEAN
                        || pa.get(j).getValue().getType() == Parameter.Type.RUNNING_VAR) {
                    continue;
                }
                float[] x = pa.get(j).getValue().getArray().toFloatArray();
                float[] y = pb.get(j).getValue().getArray().toFloatArray();
                for (int k = 0; k < x.length; k++) {
                    diff += (x[k] - y[k]) * (double) (x[k] - y[k]);
                    norm += y[k] * (double) y[k];
                }
            }
        }
        return Math.sqrt(diff / norm);
    }

    static double featureDistance(CutNetwork a, CutNetwork b, String cut, ImageDataset e, NDManager m) {
        ParameterStore ps = new ParameterStore(m, false);
        double diff = 0;
        double norm = 0;
        try (NDManager batch = m.newSubManager()) {
            NDArray x = e.images(batch, 0, e.size());
            float[] za = BatchNormFolding.fold(a, batch).shallow(ps, new NDList(x), cut).singletonOrThrow()
                    .toFloatArray();
            float[] zb = BatchNormFolding.fold(b, batch).shallow(ps, new NDList(x), cut).singletonOrThrow()
                    .toFloatArray();
            for (int i = 0; i < za.length; i++) {
                diff += (za[i] - zb[i]) * (double) (za[i] - zb[i]);
                norm += zb[i] * (double) zb[i];
            }
        }
        return Math.sqrt(diff / norm);
    }
}
