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
 * The rest of a ResNet's inference pass, from a segment to the logits, as one call into libtorch: the same fused
 * kernels as {@link FusedResidual} (identity blocks with their ReLUs and residual sums as post-ops, the second block
 * on summed into its input, stage transitions with the shortcut added in place), then global average pooling and the
 * linear head, in one TorchScript module written for the sequence of blocks.
 *
 * <p>Why: block by block from Java, every segment is a trip through DJL and JNI, and the CPU's threads idle between
 * the trips; in one call the kernels run back to back. On a 2-core VM, alternating in one process, the deep part of a
 * Fashion-MNIST ResNet-20 from the stem, stage1 and stage2 cuts ran 1.09x, 1.10x and 1.16x faster this way
 * (docs/science.md section 9), with the same logits bit for bit.
 *
 * <p>A module is compiled once per sequence of block kinds (the same for every checkpoint of a network; the
 * parameters are arguments), and the first time it runs its logits are compared with the block-by-block pass: a
 * libtorch or CPU where they differ keeps the block-by-block pass for that sequence. Only the inference form of an
 * option A ResNet, float32 channels-last batches on the CPU, with the fused kernels loaded; anything else (option B,
 * the small networks, a GPU, float16, {@value #PROPERTY}{@code =false}) runs block by block.
 */
final class ScriptedDeepPart {
    /** System property: {@code true} (the default) or {@code false}. */
    static final String PROPERTY = "splicelab.scripted-deep-part";
    private static final String NAME = "ScriptedDeepPart";
    /** The module of each sequence of blocks, compiled on first use; empty where it differed or did not compile. */
    private static final Map<List<Kind>, Optional<PtSymbolBlock>> MODULES = new ConcurrentHashMap<>();

    private ScriptedDeepPart() {
    }

    /** The kinds of segment a module runs. */
    enum Kind {
        IDENTITY, TRANSITION
    }

    /**
     * The logits of segments {@code [from, end)} on x, or null when this pass cannot run as one module (the caller
     * then runs it block by block). x is not written.
     */
    static NDList logits(CutNetwork net, ParameterStore ps, NDArray x, int from) {
        if (!wanted(net, x)) {
            return null;
        }
        List<Block> segments = net.block().getChildren().values();
        List<Kind> kinds = new ArrayList<>();
        NDList inputs = new NDList(x);
        for (int i = from; i < segments.size() - 1; i++) {
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
        Linear head = head(segments.get(segments.size() - 1));
        if (head == null) {
            return null;
        }
        inputs.add(value(ps, head, "weight", x));
        inputs.add(value(ps, head, "bias", x));
        Optional<PtSymbolBlock> module = MODULES.get(kinds);
        if (module == null) {
            module = MODULES.computeIfAbsent(List.copyOf(kinds),
                    k -> compileAndCheck(source(k), net, ps, x, from, inputs));
        }
        return module.map(m -> m.forward(ps, inputs, false)).orElse(null);
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
     * The module's source for a sequence of blocks: arguments x, then each block's two convolutions' weights and
     * biases, then the head's; the first block writes a fresh output (x is a cached feature), the others write into
     * the activation before them.
     */
    static String source(List<Kind> kinds) {
        StringBuilder args = new StringBuilder();
        StringBuilder body = new StringBuilder();
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
        args.append(",\n    wh: Tensor,\n    bh: Tensor");
        body.append("""
                    p = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)
                    return torch.linear(p, wh, bh)
                """);
        return FusedResidual.module(NAME, args.toString(), body.toString());
    }

    /**
     * Compiles a module and checks it once against the block-by-block pass on the pass at hand: empty (block by
     * block from now on) when libtorch refuses it or the logits differ in any bit.
     */
    private static Optional<PtSymbolBlock> compileAndCheck(String source, CutNetwork net, ParameterStore ps,
            NDArray x, int from, NDList inputs) {
        System.Logger log = System.getLogger(ScriptedDeepPart.class.getName());
        try {
            PtSymbolBlock module = FusedResidual.compile(NAME, source, NDManager.newBaseManager());
            try (NDManager m = x.getManager().newSubManager()) {
                NDList scripted = module.forward(ps, inputs, false);
                NDList stepwise = net.forwardBlockByBlock(ps, new NDList(x), from, net.segments().size());
                scripted.attach(m);
                stepwise.attach(m);
                if (!Arrays.equals(scripted.singletonOrThrow().toFloatArray(),
                        stepwise.singletonOrThrow().toFloatArray())) {
                    log.log(System.Logger.Level.WARNING, "scripted deep part differs from the block-by-block pass; "
                            + "block by block instead");
                    return Optional.empty();
                }
            }
            return Optional.of(module);
        } catch (RuntimeException | IOException e) {
            log.log(System.Logger.Level.WARNING, "scripted deep part unavailable, block by block instead: " + e);
            return Optional.empty();
        }
    }
}
