package io.splicelab.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import io.splicelab.model.events.Architectures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run of a ResNet's blocks in an inference pass, and its head when the run ends at the logits, as one call into
 * libtorch: the same fused kernels as {@link FusedResidual} (identity blocks with their ReLUs and residual sums as
 * post-ops, each block after the first summed into its input, stage transitions with the shortcut added in place),
 * then global average pooling and the linear head, in one TorchScript module written for the sequence of blocks.
 *
 * <p>Why: block by block from Java, every segment is a trip through DJL and JNI, and the CPU's threads idle between
 * the trips; in one call the kernels run back to back. On a 2-core VM, alternating in one process, the deep part of a
 * Fashion-MNIST ResNet-20 from the stem, stage1 and stage2 cuts ran 1.09x, 1.10x and 1.16x faster this way
 * (docs/science.md section 9), with the same logits bit for bit. Shallow parts take it too: the grid's own pass of
 * a checkpoint runs from cut to cut, and a naive hybrid's shallow part runs the same way, so neither side of the
 * grid benchmark's comparison is left block by block.
 *
 * <p>A module is compiled once per sequence of block kinds, with or without the head (the same for every checkpoint
 * of a network; the parameters are arguments), and the first time it runs its output is compared with the
 * block-by-block pass: a libtorch or CPU where they differ keeps the block-by-block pass for that sequence. The
 * first block never writes into its input (a cached feature, or an activation the caller keeps). Only the inference
 * form of an option A ResNet, float32 channels-last batches on the CPU, with the fused kernels loaded; anything else
 * (option B, the small networks, a GPU, float16, a plain NCHW batch, {@value #PROPERTY}{@code =false}) runs block by
 * block.
 */
final class ScriptedBlocks {
    /** System property: {@code true} (the default) or {@code false}. */
    static final String PROPERTY = "splicelab.scripted-blocks";
    private static final String NAME = "ScriptedBlocks";
    /** The module of each sequence, compiled on first use; empty where it differed or did not compile. */
    private static final Map<Sequence, Optional<PtSymbolBlock>> MODULES = new ConcurrentHashMap<>();

    private ScriptedBlocks() {
    }

    /** The kinds of segment a module runs. */
    enum Kind {
        IDENTITY, TRANSITION
    }

    /** What a module runs: its blocks in order, then the head or not. */
    record Sequence(List<Kind> blocks, boolean head) {
        Sequence {
            blocks = List.copyOf(blocks);
        }
    }

    /**
     * The output of segments {@code [from, to)} on x (the logits when {@code to} is the end, else the activation
     * after segment {@code to - 1}), or null when this run cannot go as one module (the caller then runs it block by
     * block). x is not written.
     */
    static NDList forward(CutNetwork net, ParameterStore ps, NDArray x, int from, int to) {
        if (!wanted(net, x)) {
            return null;
        }
        List<Block> segments = net.block().getChildren().values();
        boolean head = to == segments.size();
        List<Kind> kinds = new ArrayList<>();
        NDList inputs = new NDList(x);
        for (int i = from; i < (head ? to - 1 : to); i++) {
            Kind kind = kind(segments.get(i));
            if (kind == null) {
                return null;
            }
            kinds.add(kind);
            List<Block> residual = segments.get(i).getChildren().valueAt(0).getChildren().values();
            for (Block conv : List.of(residual.get(0), residual.get(2))) {
                inputs.add(value(ps, conv, "weight", x));
                inputs.add(value(ps, conv, "bias", x));
            }
        }
        if (head) {
            Linear linear = head(segments.get(segments.size() - 1));
            if (linear == null) {
                return null;
            }
            inputs.add(value(ps, linear, "weight", x));
            inputs.add(value(ps, linear, "bias", x));
        }
        Sequence sequence = new Sequence(kinds, head);
        Optional<PtSymbolBlock> module = MODULES.get(sequence);
        if (module == null) {
            module = MODULES.computeIfAbsent(sequence,
                    k -> compileAndCheck(source(k), net, ps, x, from, to, inputs));
        }
        if (module.isEmpty()) {
            return null;
        }
        NDList out = module.get().forward(ps, inputs, false);
        if (out.singletonOrThrow().getShape().dimension() == 1) { // the module's answer to a plain NCHW x
            out.close();
            return null;
        }
        return out;
    }

    private static boolean wanted(CutNetwork net, NDArray x) {
        String architecture = net.spec().architecture();
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim()) && net.batchNormFolded()
                && !architecture.endsWith(Architectures.OPTION_B_SUFFIX)
                && Architectures.base(architecture).startsWith("resnet") && ChannelsLast.enabled()
                && FusedResidual.available() && FusedResidual.transitionAvailable() && FusedResidual.runsHere(x);
    }

    /** An identity block or an option A transition (stride 2) of the inference form; null for anything else. */
    static Kind kind(Block segment) {
        List<Block> parts = segment.getChildren().values();
        if (parts.size() != 2 || !parts.get(1).getParameters().isEmpty()) {
            return null; // not a residual block, or an option B shortcut (a 1x1 convolution)
        }
        List<Block> residual = parts.get(0).getChildren().values();
        if (residual.size() != 3 || !(residual.get(0) instanceof Conv2d conv1)
                || !(residual.get(2) instanceof Conv2d conv2) || !new Shape(1, 1).equals(conv2.getStride())) {
            return null;
        }
        Shape w = conv1.getParameters().get("weight").getArray().getShape();
        if (new Shape(1, 1).equals(conv1.getStride()) && w.get(0) == w.get(1)) {
            return Kind.IDENTITY;
        }
        return new Shape(2, 2).equals(conv1.getStride()) && w.get(0) > w.get(1) ? Kind.TRANSITION : null;
    }

    /** The linear layer of a ResNet's head (global average pooling, flatten, linear); null for another head. */
    private static Linear head(Block segment) {
        List<Block> parts = segment.getChildren().values();
        return parts.size() == 3 && parts.get(2) instanceof Linear linear && parts.get(0).getParameters().isEmpty()
                && parts.get(1).getParameters().isEmpty() ? linear : null;
    }

    private static NDArray value(ParameterStore ps, Block block, String name, NDArray x) {
        return ps.getValue(block.getParameters().get(name), x.getDevice(), false);
    }

    /**
     * The module's source for a sequence: arguments x, then each block's two convolutions' weights and biases, then
     * the head's; the first block writes a fresh output (x is a cached feature or an activation its caller keeps),
     * the others write into the activation before them. A plain NCHW x (contiguous; channels-last is not, with more
     * than one channel and pixel) gets an empty array back: on an AVX2-only CPU the fused kernels' NCHW result is not
     * the eager ops' ({@link FusedResidual#load}).
     */
    static String source(Sequence sequence) {
        List<Kind> kinds = sequence.blocks();
        StringBuilder args = new StringBuilder();
        StringBuilder body = new StringBuilder("""
                    if torch.is_contiguous(x):
                      return torch.empty([0])
                """);
        int conv = 0;
        for (int b = 0; b < kinds.size(); b++, conv += 2) {
            String w1 = "w" + conv;
            String b1 = "b" + conv;
            String w2 = "w" + (conv + 1);
            String b2 = "b" + (conv + 1);
            args.append(",\n    ").append(w1).append(": Tensor,\n    ").append(b1).append(": Tensor,\n    ")
                    .append(w2).append(": Tensor,\n    ").append(b2).append(": Tensor");
            body.append(kinds.get(b) == Kind.TRANSITION
                    ? FusedResidual.transitionConvolutions(w1, b1, w2, b2, "") + FusedResidual.transitionShortcut()
                    : FusedResidual.identityBlock(w1, b1, w2, b2, b > 0));
        }
        if (sequence.head()) {
            args.append(",\n    wh: Tensor,\n    bh: Tensor");
            body.append("""
                        p = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)
                        return torch.linear(p, wh, bh)
                    """);
        } else {
            body.append("    return x\n"); // the last block's own output: without the head, a run has a block
        }
        return FusedResidual.module(NAME, args.toString(), body.toString());
    }

    /**
     * Compiles a module and checks it once against the block-by-block pass on the pass at hand (on a channels-last
     * copy of x when x is plain NCHW): empty (block by block from now on) when libtorch refuses it or the outputs
     * differ in any bit.
     */
    private static Optional<PtSymbolBlock> compileAndCheck(String source, CutNetwork net, ParameterStore ps,
            NDArray x, int from, int to, NDList inputs) {
        System.Logger log = System.getLogger(ScriptedBlocks.class.getName());
        try {
            PtSymbolBlock module = FusedResidual.compile(NAME, source, NDManager.newBaseManager());
            try (NDManager m = x.getManager().newSubManager()) {
                NDArray probe = x;
                NDList scripted = module.forward(ps, inputs, false);
                scripted.attach(m);
                if (scripted.singletonOrThrow().getShape().dimension() == 1) {
                    Shape s = x.getShape();
                    probe = ChannelsLast.images(m, x.toFloatArray(), (int) s.get(0), (int) s.get(1), (int) s.get(2),
                            (int) s.get(3));
                    NDList again = new NDList(inputs);
                    again.set(0, probe);
                    scripted = module.forward(ps, again, false);
                    scripted.attach(m);
                }
                NDList stepwise = net.forwardBlockByBlock(ps, new NDList(probe), from, to);
                stepwise.attach(m);
                if (!scripted.singletonOrThrow().getShape().equals(stepwise.singletonOrThrow().getShape())
                        || !Arrays.equals(scripted.singletonOrThrow().toFloatArray(),
                                stepwise.singletonOrThrow().toFloatArray())) {
                    log.log(System.Logger.Level.WARNING, "scripted blocks differ from the block-by-block pass; "
                            + "block by block instead");
                    return Optional.empty();
                }
            }
            return Optional.of(module);
        } catch (RuntimeException | IOException e) {
            log.log(System.Logger.Level.WARNING, "scripted blocks unavailable, block by block instead: " + e);
            return Optional.empty();
        }
    }
}
