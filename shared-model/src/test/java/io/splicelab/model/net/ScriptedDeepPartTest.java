package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.NetworkSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptedDeepPartTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    /**
     * From every kind of cut (a stage boundary, inside a stage, the last block), the deep part as one module gives
     * the block-by-block pass's logits bit for bit and leaves the cached feature as it was.
     */
    @ParameterizedTest
    @CsvSource({"resnet20, 1, 28, stem", "resnet20, 1, 28, stage1", "resnet20, 1, 28, stage2",
        "resnet20, 1, 28, s2b2", "resnet20, 1, 28, s3b2", "resnet32, 3, 32, stage1", "resnet20, 3, 32, s1b1"})
    void oneModuleGivesTheBlockByBlockLogitsBitForBit(String architecture, int channels, int size, String cut) {
        try (NDManager m = NDManager.newBaseManager()) {
            NetworkSpec spec = new NetworkSpec(architecture, 1.0, channels, size, size, 10);
            CutNetwork net = BatchNormFolding.fold(Networks.seeded(spec, 5, m), m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = ChannelsLast.images(m,
                    m.randomUniform(0, 1, new Shape(6, channels, size, size)).toFloatArray(), 6, channels, size, size);
            NDArray features = net.shallow(ps, new NDList(images), cut).singletonOrThrow();
            float[] before = features.toFloatArray();

            NDList scripted = ScriptedDeepPart.logits(net, ps, features, net.cutIndex(cut));
            assertNotNull(scripted, "the deep part ran as one module");
            float[] stepwise = net.forwardBlockByBlock(ps, new NDList(features), net.cutIndex(cut),
                    net.segments().size()).singletonOrThrow().toFloatArray();
            assertArrayEquals(before, features.toFloatArray(), "the cached feature is left as it was");
            assertArrayEquals(stepwise, scripted.singletonOrThrow().toFloatArray());
            assertArrayEquals(stepwise, net.deep(ps, new NDList(features), cut).singletonOrThrow().toFloatArray(),
                    "CutNetwork.deep takes the module");
        }
    }

    /** A whole pass (the stem runs from Java, the blocks as one module) equals the block-by-block pass. */
    @Test
    void aWholePassEqualsTheBlockByBlockPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NetworkSpec spec = new NetworkSpec("resnet20", 1.0, 1, 28, 28, 10);
            CutNetwork net = BatchNormFolding.fold(Networks.seeded(spec, 6, m), m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = ChannelsLast.images(m, m.randomUniform(0, 1, new Shape(5, 1, 28, 28)).toFloatArray(), 5,
                    1, 28, 28);
            assertArrayEquals(net.forwardBlockByBlock(ps, new NDList(images), 0, net.segments().size())
                    .singletonOrThrow().toFloatArray(), net.logits(ps, new NDList(images)).singletonOrThrow()
                    .toFloatArray());
        }
    }

    /** Option B shortcuts, the unfolded (training) form and a switched-off module run block by block. */
    @Test
    void whatTheModuleCannotRunRunsBlockByBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NetworkSpec b = new NetworkSpec("resnet20-b", 1.0, 3, 32, 32, 10);
            CutNetwork optionB = BatchNormFolding.fold(Networks.seeded(b, 1, m), m);
            NDArray x = ChannelsLast.images(m, new float[2 * 16 * 32 * 32], 2, 16, 32, 32);
            assertNull(ScriptedDeepPart.logits(optionB, ps, x, optionB.cutIndex("stem")), "option B");

            NetworkSpec a = new NetworkSpec("resnet20", 1.0, 3, 32, 32, 10);
            CutNetwork unfolded = Networks.seeded(a, 1, m);
            assertNull(ScriptedDeepPart.logits(unfolded, ps, x, unfolded.cutIndex("stem")), "BatchNorm not folded");

            CutNetwork folded = BatchNormFolding.fold(unfolded, m);
            System.setProperty(ScriptedDeepPart.PROPERTY, "false");
            try {
                assertNull(ScriptedDeepPart.logits(folded, ps, x, folded.cutIndex("stem")), "switched off");
            } finally {
                System.clearProperty(ScriptedDeepPart.PROPERTY);
            }
            assertNotNull(ScriptedDeepPart.logits(folded, ps, x, folded.cutIndex("stem")), "switched on again");
        }
    }
}
