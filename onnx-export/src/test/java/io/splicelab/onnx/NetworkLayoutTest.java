package io.splicelab.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Networks;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine-free layout must be shared-model's networks node for node: the same tree of blocks, the same widths,
 * kernels, strides and paddings, the same segments and cuts, and the same shape entering every segment. A change to
 * {@code Networks} that this layout does not follow fails here, not in an export.
 */
class NetworkLayoutTest {
    static final List<NetworkSpec> SPECS = List.of(
            new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10),
            new NetworkSpec("resnet20-b", 0.5, 3, 32, 32, 10),
            new NetworkSpec("resnet32-b", 0.125, 1, 28, 28, 10),
            new NetworkSpec("resnet56-b", 0.0625, 3, 32, 32, 100),
            new NetworkSpec("cnn", 0.25, 1, 28, 28, 10),
            new NetworkSpec("cnn", 0.5, 3, 32, 32, 10),
            new NetworkSpec("mlp", 0.125, 1, 28, 28, 10));

    @Test
    void everyNetworkIsItsLayoutBlockForBlock() throws Exception {
        for (NetworkSpec spec : SPECS) {
            NetworkLayout layout = NetworkLayout.of(spec);
            try (NDManager m = NDManager.newBaseManager()) {
                CutNetwork net = Checkpoints.load(spec, DjlNetworks.checkpoint(spec, 1), m);
                assertEquals(net.segments(), layout.segmentNames(), spec.toString());
                for (String cut : net.cutNames()) {
                    assertEquals(net.cutIndex(cut), layout.cutIndex(cut), spec + " " + cut);
                }
                assertEquals(net.cutNames(), List.copyOf(layout.cuts().keySet()), spec.toString());
                List<Block> children = net.block().getChildren().values();
                assertEquals(children.size(), layout.segments().size(), spec.toString());
                NDArray x = DjlNetworks.images(m, spec, 2, 7);
                for (int i = 0; i < children.size(); i++) {
                    String where = spec + " segment " + layout.segmentNames().get(i);
                    assertArrayEquals(Arrays.copyOfRange(x.getShape().getShape(), 1, x.getShape().dimension()),
                            layout.shapeBefore(i), where + ": input shape");
                    same(children.get(i), layout.segments().get(i), where);
                    x = DjlNetworks.forward(net, m, x, i, i + 1);
                }
                assertArrayEquals(new long[] {spec.numClasses()},
                        layout.shapeBefore(layout.segments().size()), spec + ": logits");
            }
        }
    }

    private static void same(Block block, Layer layer, String where) throws Exception {
        String at = where + " " + layer;
        if (layer instanceof Layer.Sequence seq) {
            assertTrue(block instanceof SequentialBlock, at + " is " + block);
            List<Block> children = block.getChildren().values();
            assertEquals(seq.layers().size(), children.size(), at);
            for (int i = 0; i < children.size(); i++) {
                same(children.get(i), seq.layers().get(i), where + "/" + i);
            }
        } else if (layer instanceof Layer.Residual res) {
            assertTrue(block instanceof ParallelBlock, at + " is " + block);
            List<Block> branches = block.getChildren().values();
            assertEquals(2, branches.size(), at);
            same(branches.get(0), res.residual(), where + "/0");
            same(branches.get(1), res.shortcut(), where + "/1");
        } else if (layer instanceof Layer.Conv conv) {
            assertTrue(block instanceof Conv2d, at + " is " + block);
            Conv2d c = (Conv2d) block;
            assertEquals(conv.filters(), c.getFilters(), at);
            assertArrayEquals(new long[] {conv.kernel(), conv.kernel()}, c.getKernelShape().getShape(), at);
            assertArrayEquals(new long[] {conv.stride(), conv.stride()}, c.getStride().getShape(), at);
            assertArrayEquals(new long[] {conv.padding(), conv.padding()}, c.getPadding().getShape(), at);
            assertEquals(List.of("weight"), c.getParameters().keys(), at + ": no bias");
        } else if (layer instanceof Layer.BatchNorm bn) {
            assertTrue(block instanceof BatchNorm, at + " is " + block);
            Field epsilon = BatchNorm.class.getDeclaredField("epsilon");
            epsilon.setAccessible(true);
            assertEquals(bn.epsilon(), epsilon.getFloat(block), at);
        } else if (layer instanceof Layer.Linear linear) {
            assertTrue(block instanceof ai.djl.nn.core.Linear, at + " is " + block);
            assertEquals(linear.units(), block.getParameters().get("weight").getArray().getShape().get(0), at);
            assertEquals(List.of("weight", "bias"), block.getParameters().keys(), at);
        } else {
            assertTrue(block instanceof LambdaBlock, at + " is " + block);
            String name = ((LambdaBlock) block).getName();
            Map<Class<?>, String> names = Map.of(Layer.Relu.class, "ReLU", Layer.Identity.class, "identity",
                    Layer.MaxPool.class, "maxPool2d", Layer.GlobalAveragePool.class, "globalAvgPool2d",
                    Layer.Flatten.class, "batchFlatten", Layer.ZeroPadShortcut.class, LambdaBlock.DEFAULT_NAME);
            assertEquals(names.get(layer.getClass()), name, at);
        }
    }

    @Test
    void anUnknownArchitectureHasNoLayout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkLayout.of(new NetworkSpec("vgg16", 1, 3, 32, 32, 10)));
        assertTrue(e.getMessage().contains("vgg16"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NetworkLayout.of(new NetworkSpec("cnn-b", 1, 1, 28, 28, 10)));
    }
}
