package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CutNetworkTest {
    static final NetworkSpec SPEC = new NetworkSpec("resnet20", 0.5, 3, 32, 32, 10);

    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    @Test
    void resnet20HasStemNineBlocksHeadAndStageCuts() {
        CutNetwork net = Networks.build(SPEC);
        assertEquals(11, net.segments().size());
        assertEquals(List.of("stem", "s1b1", "s1b2", "s1b3", "s2b1", "s2b2", "s2b3", "s3b1", "s3b2", "s3b3", "head"),
                net.segments());
        assertEquals(1, net.cutIndex("stem"));
        assertEquals(4, net.cutIndex("stage1"));
        assertEquals(7, net.cutIndex("stage2"));
        assertEquals(7, net.cutIndex("s2b3"));
        assertThrows(IllegalArgumentException.class, () -> net.cutIndex("nope"));
        CutNetwork r56 = Networks.build(new NetworkSpec("resnet56", 1, 3, 32, 32, 10));
        assertEquals(29, r56.segments().size());
        assertEquals(19, r56.cutIndex("stage2"));
    }

    @Test
    void checkpointRoundTripAndSelfHybridReproduceThePredictions() {
        ImageDataset data = SyntheticImages.split("test", 40);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            CutNetwork a = Networks.build(SPEC);
            a.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(SPEC));
            float[][] direct = Inference.logits(a, data, 16, m);
            assertEquals(40, direct.length);
            assertEquals(10, direct[0].length);

            CutNetwork loaded = Checkpoints.load(SPEC, Checkpoints.save(a.block()), m);
            float[][] again = Inference.logits(loaded, data, 16, m);
            for (int i = 0; i < direct.length; i++) {
                assertArrayEquals(direct[i], again[i], 0f);
            }
            for (String cut : List.of("stem", "stage1", "stage2", "s3b1")) {
                float[][] hybrid = Inference.hybridLogits(loaded, a, cut, data, 16, m);
                for (int i = 0; i < direct.length; i++) {
                    assertArrayEquals(direct[i], hybrid[i], 0f, "cut " + cut);
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDList features = a.shallow(ps, new NDList(data.images(m, 0, 4)), "stage1");
            assertEquals(8, features.singletonOrThrow().getShape().get(1));
            NDList f2 = a.shallow(ps, new NDList(data.images(m, 0, 4)), "stage2");
            assertEquals(16, f2.singletonOrThrow().getShape().get(1));
            assertEquals(16, f2.singletonOrThrow().getShape().get(2));

            Engine.getInstance().setRandomSeed(4);
            CutNetwork b = Networks.build(SPEC);
            b.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(SPEC));
            float[][] other = Inference.logits(b, data, 16, m);
            assertNotEquals(direct[0][0], other[0][0]);
        }
    }
}
