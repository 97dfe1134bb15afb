package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchNormFoldingTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "resnet20-b", "cnn"})
    void theFoldedNetworkComputesTheSameFunctionWithoutBatchNorm(String architecture) {
        NetworkSpec spec = new NetworkSpec(architecture, 0.5, 3, 32, 32, 10);
        ImageDataset data = SyntheticImages.split("test", 24);
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork net = Networks.seeded(spec, 5, m);
            List<BatchNorm> bns = new ArrayList<>();
            collect(net.block(), bns);
            assertFalse(bns.isEmpty());
            randomStatistics(bns, new Random(11)); // a seeded network's are 0/1: folding them would prove nothing
            float[][] before = unfolded(net, data, m);

            CutNetwork folded = BatchNormFolding.fold(net, m);
            assertTrue(folded.batchNormFolded());
            assertFalse(net.batchNormFolded());
            List<BatchNorm> none = new ArrayList<>();
            collect(folded.block(), none);
            assertEquals(List.of(), none, "no BatchNorm left");
            assertEquals(net.segments(), folded.segments());
            assertEquals(net.cutNames(), folded.cutNames());
            assertSame(folded, BatchNormFolding.fold(folded, m), "folding twice is the identity");

            float[][] after = unfolded(folded, data, m);
            assertClose(before, after);
            assertArrayEquals(flat(before), flat(unfolded(net, data, m)), "the source network is left as it was");

            ParameterStore ps = new ParameterStore(m, false);
            for (String cut : net.cutNames()) {
                NDArray x = data.images(m, 0, data.size());
                float[] z = net.shallow(ps, new NDList(x), cut).singletonOrThrow().toFloatArray();
                float[] zf = folded.shallow(ps, new NDList(x), cut).singletonOrThrow().toFloatArray();
                assertClose(new float[][] {z}, new float[][] {zf});
            }
            // Inference folds: a plain evaluation of the unfolded network is the folded network's, bit for bit
            assertArrayEquals(flat(after), flat(Inference.logits(net, data, data.size(), m)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "cnn"})
    void aFoldedConvolutionCarriesTheShiftAsItsBias(String architecture) {
        NetworkSpec spec = new NetworkSpec(architecture, 0.25, 1, 28, 28, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork net = Networks.seeded(spec, 2, m);
            List<BatchNorm> bns = new ArrayList<>();
            collect(net.block(), bns);
            randomStatistics(bns, new Random(3));
            CutNetwork folded = BatchNormFolding.fold(net, m);
            List<Conv2d> convs = new ArrayList<>();
            collect(folded.block(), convs, Conv2d.class);
            assertEquals(bns.size(), convs.size(), "one convolution per BatchNorm");
            for (Conv2d c : convs) {
                assertTrue(c.getParameters().contains("bias"), "a folded convolution has a bias");
            }
            // the first convolution, by hand: w * gamma / sqrt(var + eps), beta - mean * gamma / sqrt(var + eps)
            List<Conv2d> original = new ArrayList<>();
            collect(net.block(), original, Conv2d.class);
            float[] w = original.get(0).getParameters().get("weight").getArray().toFloatArray();
            BatchNorm bn = bns.get(0);
            float[] gamma = stat(bn, Parameter.Type.GAMMA);
            float[] beta = stat(bn, Parameter.Type.BETA);
            float[] mean = stat(bn, Parameter.Type.RUNNING_MEAN);
            float[] var = stat(bn, Parameter.Type.RUNNING_VAR);
            float[] wf = convs.get(0).getParameters().get("weight").getArray().toFloatArray();
            float[] bf = convs.get(0).getParameters().get("bias").getArray().toFloatArray();
            int per = w.length / var.length;
            for (int o = 0; o < var.length; o++) {
                double s = gamma[o] / Math.sqrt(var[o] + 1e-5);
                assertEquals((float) (beta[o] - mean[o] * s), bf[o], 0f, "bias " + o);
                for (int k = o * per; k < (o + 1) * per; k++) {
                    assertEquals((float) (w[k] * s), wf[k], 0f, "weight " + k);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aNetworkWithoutBatchNormIsItsOwnInferenceForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork mlp = Networks.seeded(new NetworkSpec("mlp", 0.25, 1, 28, 28, 10), 1, m);
            assertSame(mlp, BatchNormFolding.fold(mlp, m));
        }
    }

    static float[][] unfolded(CutNetwork net, ImageDataset data, NDManager m) {
        ParameterStore ps = new ParameterStore(m, false);
        try (NDManager batch = m.newSubManager()) {
            return Inference.toRows(net.logits(ps, new NDList(data.images(batch, 0, data.size()))).singletonOrThrow());
        }
    }

    static void randomStatistics(List<BatchNorm> bns, Random random) {
        for (BatchNorm bn : bns) {
            for (Pair<String, Parameter> p : bn.getParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = new float[(int) a.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = switch (p.getValue().getType()) {
                        case GAMMA -> 0.5f + random.nextFloat();
                        case RUNNING_VAR -> 0.3f + 2 * random.nextFloat();
                        default -> 0.2f * (float) random.nextGaussian();
                    };
                }
                a.set(v);
            }
        }
    }

    static float[] stat(BatchNorm bn, Parameter.Type type) {
        for (Pair<String, Parameter> p : bn.getParameters()) {
            if (p.getValue().getType() == type) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no " + type);
    }

    static void assertClose(float[][] want, float[][] got) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                scale = Math.max(scale, Math.abs(want[i][j]));
                worst = Math.max(worst, Math.abs(want[i][j] - got[i][j]));
            }
        }
        assertTrue(scale > 0, "non-trivial values");
        assertTrue(worst <= 1e-4 * scale, "largest difference " + worst + " at scale " + scale);
    }

    static float[] flat(float[][] rows) {
        int n = 0;
        for (float[] r : rows) {
            n += r.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    static void collect(Block block, List<BatchNorm> out) {
        collect(block, out, BatchNorm.class);
    }

    static <T> void collect(Block block, List<T> out, Class<T> type) {
        if (type.isInstance(block)) {
            out.add(type.cast(block));
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out, type);
        }
    }
}
