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

class ScriptedBlocksTest {
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
            CutNetwork net = folded(architecture, channels, size, 5, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = images(m, 6, channels, size);
            NDArray features = net.shallow(ps, new NDList(images), cut).singletonOrThrow();
            float[] before = features.toFloatArray();

            NDList scripted = ScriptedBlocks.forward(net, ps, features, net.cutIndex(cut), net.segments().size());
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
            CutNetwork net = folded("resnet20", 1, 28, 6, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = images(m, 5, 1, 28);
            assertArrayEquals(net.forwardBlockByBlock(ps, new NDList(images), 0, net.segments().size())
                    .singletonOrThrow().toFloatArray(), net.logits(ps, new NDList(images)).singletonOrThrow()
                    .toFloatArray());
        }
    }

    /**
     * A shallow run, cut to cut (the grid's own pass) or from the input to a cut (a naive hybrid's shallow part), as
     * one module: the block-by-block activation bit for bit, a fresh array (the input, a cached feature, is left as
     * it was), and one call for the blocks.
     */
    @ParameterizedTest
    @CsvSource({"resnet20, 1, 28, stem, stage1", "resnet20, 1, 28, stage1, stage2", "resnet20, 1, 28, stem, stage2",
        "resnet20, 1, 28, s1b1, s2b1", "resnet20, 3, 32, stage2, s3b2", "resnet32, 3, 32, stem, stage1"})
    void aShallowRunGivesTheBlockByBlockActivationBitForBit(String architecture, int channels, int size, String from,
            String to) {
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork net = folded(architecture, channels, size, 7, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = images(m, 4, channels, size);
            Shape at = net.shallow(ps, new NDList(images), from).singletonOrThrow().getShape();
            float[] before = net.shallow(ps, new NDList(images), from).singletonOrThrow().toFloatArray();
            // an ordinary array (module outputs are libtorch inference tensors, which refuse in-place writes here)
            NDArray features = channelsLast(m, before, at);

            NDList scripted = ScriptedBlocks.forward(net, ps, features, net.cutIndex(from), net.cutIndex(to));
            assertNotNull(scripted, "the run of blocks went as one module");
            float[] stepwise = net.forwardBlockByBlock(ps, new NDList(features), net.cutIndex(from), net.cutIndex(to))
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(stepwise, scripted.singletonOrThrow().toFloatArray());
            assertArrayEquals(before, features.toFloatArray(), "the input is left as it was");
            features.muli(0);
            assertArrayEquals(stepwise, scripted.singletonOrThrow().toFloatArray(), "the output is its own memory");
            features = channelsLast(m, before, at);
            assertArrayEquals(stepwise, net.forward(ps, new NDList(features), net.cutIndex(from), net.cutIndex(to),
                    false).singletonOrThrow().toFloatArray(), "CutNetwork.forward takes the module");
            assertArrayEquals(net.forwardBlockByBlock(ps, new NDList(images), 0, net.cutIndex(to)).singletonOrThrow()
                    .toFloatArray(), net.shallow(ps, new NDList(images), to).singletonOrThrow().toFloatArray(),
                    "a shallow part from the images: the stem from Java, then one module");
        }
    }

    /**
     * A plain NCHW input is not the fused kernels' (on an AVX2-only CPU their NCHW result differs from the eager
     * ops'): the module declines it, even when it comes first, and still serves the channels-last inputs after it.
     */
    @Test
    void aPlainNchwInputRunsBlockByBlockAndDoesNotSpoilTheModule() {
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork net = folded("resnet56", 3, 16, 3, m);
            ParameterStore ps = new ParameterStore(m, false);
            float[] values = m.randomNormal(new Shape(3, 16, 16, 16)).toFloatArray();
            NDArray nchw = m.create(values, new Shape(3, 16, 16, 16));
            int from = net.cutIndex("stem");
            int to = from + 7; // seven identity blocks and no head: a sequence no other test compiles
            assertNull(ScriptedBlocks.forward(net, ps, nchw, from, to), "NCHW first: declined");
            assertArrayEquals(net.forwardBlockByBlock(ps, new NDList(nchw), from, to).singletonOrThrow().toFloatArray(),
                    net.forward(ps, new NDList(nchw), from, to, false).singletonOrThrow().toFloatArray());
            NDArray channelsLast = channelsLast(m, values, new Shape(3, 16, 16, 16));
            NDList scripted = ScriptedBlocks.forward(net, ps, channelsLast, from, to);
            assertNotNull(scripted, "channels-last after it: one module");
            assertArrayEquals(net.forwardBlockByBlock(ps, new NDList(channelsLast), from, to).singletonOrThrow()
                    .toFloatArray(), scripted.singletonOrThrow().toFloatArray());
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
            assertNull(ScriptedBlocks.forward(optionB, ps, x, optionB.cutIndex("stem"), optionB.segments().size()), "option B");

            NetworkSpec a = new NetworkSpec("resnet20", 1.0, 3, 32, 32, 10);
            CutNetwork unfolded = Networks.seeded(a, 1, m);
            assertNull(ScriptedBlocks.forward(unfolded, ps, x, unfolded.cutIndex("stem"), unfolded.segments().size()), "BatchNorm not folded");

            CutNetwork folded = BatchNormFolding.fold(unfolded, m);
            System.setProperty(ScriptedBlocks.PROPERTY, "false");
            try {
                assertNull(ScriptedBlocks.forward(folded, ps, x, folded.cutIndex("stem"), folded.segments().size()), "switched off");
            } finally {
                System.clearProperty(ScriptedBlocks.PROPERTY);
            }
            assertNotNull(ScriptedBlocks.forward(folded, ps, x, folded.cutIndex("stem"), folded.segments().size()), "switched on again");
        }
    }

    /** The inference form of a seeded network on square images. */
    private static CutNetwork folded(String architecture, int channels, int size, int seed, NDManager m) {
        NetworkSpec spec = new NetworkSpec(architecture, 1.0, channels, size, size, 10);
        return BatchNormFolding.fold(Networks.seeded(spec, seed, m), m);
    }

    /** n random images, channels-last like every batch. */
    private static NDArray images(NDManager m, int n, int channels, int size) {
        Shape shape = new Shape(n, channels, size, size);
        return channelsLast(m, m.randomUniform(0, 1, shape).toFloatArray(), shape);
    }

    /** An ordinary channels-last array of NCHW-ordered values. */
    private static NDArray channelsLast(NDManager m, float[] nchw, Shape shape) {
        return ChannelsLast.images(m, nchw, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2),
                (int) shape.get(3));
    }
}
