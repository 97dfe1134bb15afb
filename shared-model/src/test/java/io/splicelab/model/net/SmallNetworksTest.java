package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmallNetworksTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    private static long[] logitsShape(NetworkSpec spec, String cut) {
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork net = Networks.build(spec);
            net.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(spec));
            ParameterStore ps = new ParameterStore(m, false);
            NDList x = new NDList(m.randomNormal(new Shape(2, spec.channels(), spec.height(), spec.width())));
            NDList features = net.shallow(ps, x, cut);
            return net.deep(ps, features, cut).singletonOrThrow().getShape().getShape();
        }
    }

    @Test
    void smallNetsFor28x28HaveNamedCuts() {
        NetworkSpec cnn = new NetworkSpec("cnn", 1, 1, 28, 28, 10);
        assertEquals(List.of("conv1", "conv2", "fc1"), Networks.build(cnn).cutNames());
        assertEquals(List.of("conv1", "conv2", "fc1"), Networks.defaultCuts("cnn"));
        assertEquals(10, logitsShape(cnn, "conv2")[1]);
        NetworkSpec mlp = new NetworkSpec("mlp", 0.5, 1, 28, 28, 10);
        assertEquals(List.of("fc1", "fc2"), Networks.build(mlp).cutNames());
        assertEquals(10, logitsShape(mlp, "fc1")[1]);
    }

    @Test
    void optionBShortcutsAreConvolutionsAndResNetsTakeAnyInputSize() {
        NetworkSpec a = new NetworkSpec("resnet20", 0.25, 1, 28, 28, 10);
        NetworkSpec b = new NetworkSpec("resnet20-b", 0.25, 1, 28, 28, 10);
        assertEquals(Networks.build(a).cutNames(), Networks.build(b).cutNames());
        assertEquals(10, logitsShape(b, "stage1")[1]);
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork na = Networks.build(a);
            na.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(a));
            CutNetwork nb = Networks.build(b);
            nb.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(b));
            assertTrue(nb.block().getParameters().size() > na.block().getParameters().size(),
                    "option B adds 1x1 convolutions and BatchNorms");
        }
        assertTrue(Networks.isKnown("resnet56-b"));
        assertTrue(!Networks.isKnown("cnn-b"));
    }
}
