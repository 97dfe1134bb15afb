package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
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

    @ParameterizedTest
    @CsvSource({"16, 28, true", "32, 14, true", "64, 7, true", "8, 14, false"})
    void aFusedBlockGivesTheEagerOpsResultBitForBit(int channels, int size, boolean channelsLast) {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 12;
            NDArray random = m.randomNormal(new Shape(n, channels, size, size));
            NDArray x = channelsLast ? ChannelsLast.images(m, random.toFloatArray(), n, channels, size, size) : random;
            Conv2d conv1 = conv(channels, m);
            Conv2d conv2 = conv(channels, m);
            ParameterStore ps = new ParameterStore(m, false);

            NDList fused = FusedResidual.apply(ps, x, conv1, conv2);
            assertNotNull(fused);
            NDArray h = Activation.relu(conv1.forward(ps, new NDList(x), false).singletonOrThrow());
            NDArray eager = Activation.relu(conv2.forward(ps, new NDList(h), false).singletonOrThrow().add(x));
            assertArrayEquals(eager.getShape().getShape(), fused.singletonOrThrow().getShape().getShape());
            assertArrayEquals(eager.toFloatArray(), fused.singletonOrThrow().toFloatArray(),
                    "relu(conv2(relu(conv1(x) + b1)) + b2 + x), fused and eager");
        }
    }

    @Test
    void otherDataTypesRunTheEagerOps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 8, 6, 6)).toType(DataType.FLOAT64, false);
            assertNull(FusedResidual.apply(new ParameterStore(m, false), x, conv(8, m), conv(8, m)));
        }
    }

    /** A 3x3 convolution with a bias, initialised at random (a folded BatchNorm's shift is a nonzero bias). */
    private static Conv2d conv(int channels, NDManager m) {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(channels).optStride(new Shape(1, 1))
                .optPadding(new Shape(1, 1)).optBias(true).build();
        conv.initialize(m, DataType.FLOAT32, new Shape(1, channels, 8, 8));
        conv.getParameters().get("bias").getArray().set(m.randomNormal(new Shape(channels)).mul(0.5f).toFloatArray());
        return conv;
    }
}
