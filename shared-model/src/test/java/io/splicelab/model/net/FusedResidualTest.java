package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import io.splicelab.model.djl.DjlOffline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FusedResidualTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    @Test
    void theFusedKernelsLoadOnTheCpuEngine() {
        assertTrue(FusedResidual.available(), "libtorch compiled the fused block's TorchScript source");
    }

    /**
     * Both forms of the module, with and without the eager ops for plain NCHW inputs (the form an AVX2-only CPU
     * loads), compile and give the eager ops' result in both memory formats on this machine. Without the eager
     * branch the NCHW result may differ where libtorch's NCHW convolution is another kernel; with it, it may not.
     */
    @ParameterizedTest
    @CsvSource({"FusedResidual, true", "FusedResidualInPlace, true", "FusedTransition, true", "FusedResidual, false",
        "FusedResidualInPlace, false", "FusedTransition, false"})
    void theModuleAgreesWithTheEagerOpsInEachMemoryFormat(String name, boolean eagerForContiguous) throws Exception {
        try (NDManager owner = NDManager.newBaseManager()) {
            PtSymbolBlock module = FusedResidual.compile(name, eagerForContiguous, owner);
            assertTrue(FusedResidual.agrees(name, module, true, owner), "channels-last");
            if (eagerForContiguous) {
                assertTrue(FusedResidual.agrees(name, module, false, owner), "plain NCHW, eager ops in the module");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"16, 28, true, false", "32, 14, true, false", "64, 7, true, false", "8, 14, false, false",
        "16, 28, true, true", "64, 7, true, true", "8, 14, false, true"})
    void aFusedBlockGivesTheEagerOpsResultBitForBit(int channels, int size, boolean channelsLast, boolean inPlace) {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 12;
            NDArray random = m.randomNormal(new Shape(n, channels, size, size));
            NDArray x = channelsLast ? ChannelsLast.images(m, random.toFloatArray(), n, channels, size, size) : random;
            Conv2d conv1 = conv(channels, m);
            Conv2d conv2 = conv(channels, m);
            ParameterStore ps = new ParameterStore(m, false);

            NDArray h = Activation.relu(conv1.forward(ps, new NDList(x), false).singletonOrThrow());
            NDArray eager = Activation.relu(conv2.forward(ps, new NDList(h), false).singletonOrThrow().add(x));
            float[] before = x.toFloatArray();
            NDList fused = FusedResidual.apply(ps, x, conv1, conv2, inPlace);
            assertNotNull(fused);
            if (!inPlace) {
                assertArrayEquals(before, x.toFloatArray(), "the input is left as it was");
            }
            assertArrayEquals(eager.getShape().getShape(), fused.singletonOrThrow().getShape().getShape());
            assertArrayEquals(eager.toFloatArray(), fused.singletonOrThrow().toFloatArray(),
                    "relu(conv2(relu(conv1(x) + b1)) + b2 + x), fused and eager");
        }
    }

    /**
     * A stage's first block (stride 2, option A shortcut added into the middle channels) runs fused in channels-last
     * and gives the eager ops' result bit for bit, its input left as it was.
     */
    @ParameterizedTest
    @CsvSource({"16, 32, 28", "32, 64, 14", "16, 32, 32"})
    void aFusedTransitionBlockGivesTheEagerOpsResultBitForBit(int in, int out, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 12;
            NDArray x = ChannelsLast.images(m, m.randomNormal(new Shape(n, in, size, size)).toFloatArray(), n, in, size,
                    size);
            Conv2d conv1 = conv(in, out, 2, m);
            Conv2d conv2 = conv(out, out, 1, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray h = Activation.relu(conv1.forward(ps, new NDList(x), false).singletonOrThrow());
            NDArray y = conv2.forward(ps, new NDList(h), false).singletonOrThrow();
            int before = (out - in) / 2;
            y.get(new NDIndex(":, {}:{}", before, before + in)).addi(x.get(":, :, ::2, ::2"));
            float[] eager = Activation.relu(y).toFloatArray();
            float[] input = x.toFloatArray();

            NDList fused = FusedResidual.transition(ps, x, conv1, conv2);
            assertNotNull(fused, "the transition module ran");
            assertArrayEquals(input, x.toFloatArray(), "the input is left as it was");
            assertArrayEquals(eager, fused.singletonOrThrow().toFloatArray(), "fused and eager transition block");
        }
    }

    /**
     * A pass over several blocks sums each block after the first into its input's memory: the pass's own input (a
     * cached feature, in the splicer) must come out untouched, and the logits must be the eager ops' bit for bit.
     */
    @ParameterizedTest
    @CsvSource({"stem", "stage1", "stage2"})
    void aDeepPassLeavesItsInputUntouchedAndMatchesTheEagerOps(String cut) {
        try (NDManager m = NDManager.newBaseManager()) {
            io.splicelab.model.events.Payloads.NetworkSpec spec = new io.splicelab.model.events.Payloads.NetworkSpec(
                    "resnet20", 1.0, 1, 28, 28, 10);
            CutNetwork net = BatchNormFolding.fold(Networks.seeded(spec, 3, m), m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = ChannelsLast.images(m, m.randomUniform(0, 1, new Shape(6, 1, 28, 28)).toFloatArray(), 6,
                    1, 28, 28);
            NDArray features = net.shallow(ps, new NDList(images), cut).singletonOrThrow();
            float[] before = features.toFloatArray();
            float[] fused = net.deep(ps, new NDList(features), cut).singletonOrThrow().toFloatArray();
            assertArrayEquals(before, features.toFloatArray(), "the deep part's input is left as it was");
            float[] eager;
            System.setProperty(FusedResidual.PROPERTY, "false");
            try {
                eager = net.deep(ps, new NDList(features), cut).singletonOrThrow().toFloatArray();
            } finally {
                System.clearProperty(FusedResidual.PROPERTY);
            }
            assertArrayEquals(eager, fused, "logits with fused blocks (in place after the first) and with eager ops");
        }
    }

    @Test
    void otherDataTypesRunTheEagerOps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 8, 6, 6)).toType(DataType.FLOAT64, false);
            assertNull(FusedResidual.apply(new ParameterStore(m, false), x, conv(8, m), conv(8, m), false));
        }
    }

    /** A 3x3 convolution with a bias, initialised at random (a folded BatchNorm's shift is a nonzero bias). */
    private static Conv2d conv(int channels, NDManager m) {
        return conv(channels, channels, 1, m);
    }

    private static Conv2d conv(int in, int out, int stride, NDManager m) {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(out)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(1, 1)).optBias(true).build();
        conv.initialize(m, DataType.FLOAT32, new Shape(1, in, 8, 8));
        conv.getParameters().get("bias").getArray().set(m.randomNormal(new Shape(out)).mul(0.5f).toFloatArray());
        return conv;
    }
}
