package io.splicelab.model.net;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the networks of docs/science.md section 1 as ordered segments with named cuts, so every service
 * can split any of them into shallow and deep parts.
 * <ul>
 * <li>The CIFAR ResNet family (He et al. 2016): a 3x3 stem, three stages of n basic blocks with widths
 * 16/32/64 times a multiplier, global average pooling and a linear head. ResNet-20/32/56 have n = 3/5/9.
 * Shortcuts that change shape use option A (subsample and zero-pad channels, parameter-free, as in the
 * paper's CIFAR experiments) unless the architecture name carries the suffix {@code -b} (e.g.
 * {@code resnet20-b}): option B, a strided 1x1 convolution with BatchNorm. Cuts exist after the stem and
 * after every residual block; the stage boundaries are named {@code stem}, {@code stage1},
 * {@code stage2}.</li>
 * <li>{@code cnn}: a small CNN for 28x28 data: {@code conv1} (3x3 conv, BN, ReLU, 2x2 max pool, 32
 * filters), {@code conv2} (same, 64), {@code fc1} (flatten, linear 128, ReLU), {@code head} (linear);
 * widths times the multiplier. Cuts {@code conv1}, {@code conv2}, {@code fc1}.</li>
 * <li>{@code mlp}: {@code fc1} (flatten, linear 512, ReLU), {@code fc2} (linear 256, ReLU),
 * {@code head}; widths times the multiplier. Cuts {@code fc1}, {@code fc2}.</li>
 * </ul>
 * Input channels and size come from the spec (the dataset), the convolutions adapt to them.
 */
public final class Networks {
    /** The default cut set: the stage boundaries ({@link Architectures#STAGE_CUTS}). */
    public static final List<String> STAGE_CUTS = Architectures.STAGE_CUTS;
    /** Suffix of an architecture name selecting option B (1x1 convolution) shortcuts. */
    public static final String OPTION_B_SUFFIX = Architectures.OPTION_B_SUFFIX;

    private Networks() {
    }

    /** The default cut set of an architecture: the stage boundaries, or every cut of the small nets. */
    public static List<String> defaultCuts(String architecture) {
        return Architectures.defaultCuts(architecture);
    }

    /** Whether the name (with or without the option B suffix) is a network this class builds. */
    public static boolean isKnown(String architecture) {
        return Architectures.isKnown(architecture);
    }

    private static String base(String architecture) {
        return Architectures.base(architecture);
    }

    /** Blocks per stage for an architecture name. */
    public static int blocksPerStage(String architecture) {
        return Architectures.blocksPerStage(architecture);
    }

    /** Builds an uninitialised network; initialise it or load a checkpoint into it. */
    public static CutNetwork build(NetworkSpec spec) {
        return build(spec, false);
    }

    /**
     * Builds an uninitialised network; with {@code batchNormFolded}, its inference form: every convolution that
     * BatchNorm follows gets a bias and the BatchNorm is left out ({@link BatchNormFolding} fills it).
     */
    static CutNetwork build(NetworkSpec spec, boolean batchNormFolded) {
        return switch (base(spec.architecture())) {
            case "cnn" -> smallCnn(spec, batchNormFolded);
            case "mlp" -> mlp(spec);
            default -> resnet(spec, spec.architecture().endsWith(OPTION_B_SUFFIX), batchNormFolded);
        };
    }

    /**
     * A network initialised by DJL's default initialisers under the engine seed {@code seed}: distinct and
     * reproducible checkpoints without training, for the splicer's tests and benchmarks.
     */
    public static CutNetwork seeded(NetworkSpec spec, int seed, NDManager manager) {
        Engine.getInstance().setRandomSeed(seed);
        CutNetwork net = build(spec);
        net.block().initialize(manager, DataType.FLOAT32, Checkpoints.inputShape(spec));
        return net;
    }

    private static int scaled(int width, double multiplier) {
        return Math.max(1, (int) Math.round(width * multiplier));
    }

    private static CutNetwork smallCnn(NetworkSpec spec, boolean folded) {
        SequentialBlock net = new SequentialBlock();
        int w1 = scaled(32, spec.widthMultiplier());
        int w2 = scaled(64, spec.widthMultiplier());
        net.add(convBn(new SequentialBlock(), conv3x3(w1, 1), folded).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2))));
        net.add(convBn(new SequentialBlock(), conv3x3(w2, 1), folded).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2))));
        net.add(new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(scaled(128, spec.widthMultiplier())).build())
                .add(Activation.reluBlock()));
        net.add(Linear.builder().setUnits(spec.numClasses()).build());
        return smallNet(spec, net, Architectures.CNN_CUTS, folded);
    }

    private static CutNetwork mlp(NetworkSpec spec) {
        SequentialBlock net = new SequentialBlock();
        net.add(new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(scaled(512, spec.widthMultiplier())).build())
                .add(Activation.reluBlock()));
        net.add(new SequentialBlock().add(Linear.builder().setUnits(scaled(256, spec.widthMultiplier())).build())
                .add(Activation.reluBlock()));
        net.add(Linear.builder().setUnits(spec.numClasses()).build());
        return smallNet(spec, net, Architectures.MLP_CUTS, true); // no BatchNorm: its inference form
    }

    /** A small net whose segments are its cuts, one each, then the head. */
    private static CutNetwork smallNet(NetworkSpec spec, SequentialBlock net, List<String> cutNames, boolean folded) {
        Map<String, Integer> cuts = new LinkedHashMap<>();
        List<String> segments = new ArrayList<>();
        for (String cut : cutNames) {
            segments.add(cut);
            cuts.put(cut, segments.size());
        }
        segments.add("head");
        return new CutNetwork(spec, net, segments, cuts, folded);
    }

    private static CutNetwork resnet(NetworkSpec spec, boolean optionB, boolean folded) {
        int n = blocksPerStage(spec.architecture());
        int[] widths = new int[3];
        for (int s = 0; s < 3; s++) {
            widths[s] = Math.max(1, (int) Math.round((16 << s) * spec.widthMultiplier()));
        }
        SequentialBlock net = new SequentialBlock();
        List<String> segments = new ArrayList<>();
        Map<String, Integer> cuts = new LinkedHashMap<>();

        net.add(convBn(new SequentialBlock(), conv3x3(widths[0], 1), folded).add(Activation.reluBlock()));
        segments.add(Architectures.STEM);
        cuts.put(Architectures.STEM, 1);

        int inWidth = widths[0];
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < n; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                net.add(basicBlock(inWidth, widths[s], stride, optionB, folded));
                inWidth = widths[s];
                String name = Architectures.blockCut(s + 1, b + 1);
                segments.add(name);
                cuts.put(name, segments.size());
            }
            if (s < 2) {
                cuts.put(Architectures.stageCut(s + 1), segments.size());
            }
        }
        net.add(new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(spec.numClasses()).build()));
        segments.add("head");
        return new CutNetwork(spec, net, segments, orderByDepth(cuts), folded);
    }

    private static Map<String, Integer> orderByDepth(Map<String, Integer> cuts) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        cuts.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEachOrdered(e -> ordered.put(e.getKey(),
                e.getValue()));
        return ordered;
    }

    private static Conv2d.Builder conv3x3(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1));
    }

    /**
     * A convolution without bias followed by BatchNorm, or, folded, the convolution with a bias that stands for the
     * BatchNorm's shift.
     */
    private static SequentialBlock convBn(SequentialBlock into, Conv2d.Builder conv, boolean folded) {
        return folded ? into.add(conv.optBias(true).build())
                : into.add(conv.optBias(false).build()).add(BatchNorm.builder().build());
    }

    private static Block basicBlock(int inWidth, int outWidth, int stride, boolean optionB, boolean folded) {
        SequentialBlock residual = convBn(new SequentialBlock(), conv3x3(outWidth, stride), folded)
                .add(Activation.reluBlock());
        convBn(residual, conv3x3(outWidth, 1), folded);
        boolean same = stride == 1 && inWidth == outWidth;
        boolean optionA = !same && !optionB;
        Block shortcut = same ? Blocks.identityBlock()
                : optionB ? convBn(new SequentialBlock(), Conv2d.builder().setKernelShape(new Shape(1, 1))
                        .setFilters(outWidth).optStride(new Shape(stride, stride)), folded)
                : folded ? new LambdaBlock(x -> new NDList(subsample(x.singletonOrThrow(), stride)))
                : new LambdaBlock(x -> new NDList(optionA(x.singletonOrThrow(), outWidth - inWidth, stride)));
        if (!folded) {
            return new ParallelBlock(list -> new NDList(Activation.relu(
                    list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow()))), List.of(residual, shortcut));
        }
        // The inference form sums into the branch's output, a fresh array no one else holds (it never trains): one
        // activation-sized allocation less per block. An option A shortcut is added into its channels only: the zero
        // channels it would append are never made, concatenated or added (x + 0 is x).
        int before = (outWidth - inWidth) / 2;
        Function<List<NDList>, NDList> join = list -> {
            NDArray branch = list.get(0).singletonOrThrow();
            NDArray x = list.get(1).singletonOrThrow();
            (optionA ? branch.get(new NDIndex(":, {}:{}", before, before + inWidth)) : branch).addi(x);
            return new NDList(Activation.relu(branch));
        };
        Conv2d conv1 = (Conv2d) residual.getChildren().valueAt(0);
        Conv2d conv2 = (Conv2d) residual.getChildren().valueAt(2);
        if (!same && !optionA) {
            return new ParallelBlock(join, List.of(residual, shortcut));
        }
        if (optionA) {
            // a stage's first block: its first convolution with the ReLU fused, the shortcut added in place
            return new ParallelBlock(join, List.of(residual, shortcut)) {
                @Override
                protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                        PairList<String, Object> params) {
                    NDList fused = training || stride != 2 || before < 0 ? null
                            : FusedResidual.transition(ps, inputs.singletonOrThrow(), conv1, conv2);
                    return fused != null ? fused : super.forwardInternal(ps, inputs, training, params);
                }
            };
        }
        // an identity block's two convolutions with their ReLU and residual sum fused in, when the kernels are there
        return new ParallelBlock(join, List.of(residual, shortcut)) {
            @Override
            protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                    PairList<String, Object> params) {
                NDList fused = training ? null : FusedResidual.apply(ps, inputs.singletonOrThrow(), conv1, conv2,
                        CutNetwork.inputOwned(params));
                return fused != null ? fused : super.forwardInternal(ps, inputs, training, params);
            }
        };
    }

    /**
     * x[:, :, ::s, ::s]: a strided view, no copy, so a channels-last activation stays channels-last (a reshape
     * would copy it into NCHW order and the residual sum would then mix memory formats).
     */
    private static NDArray subsample(NDArray x, int stride) {
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        if (h % stride != 0 || w % stride != 0) {
            throw new IllegalArgumentException("spatial size " + h + "x" + w + " not divisible by stride " + stride);
        }
        return x.get(":, :, ::" + stride + ", ::" + stride);
    }

    /** Option A shortcut: spatial subsampling and zero channels appended. */
    private static NDArray optionA(NDArray x, int extraChannels, int stride) {
        NDArray sub = stride == 1 ? x : subsample(x, stride);
        if (extraChannels <= 0) {
            return sub;
        }
        int before = extraChannels / 2;
        int after = extraChannels - before;
        NDList parts = new NDList();
        if (before > 0) {
            parts.add(zerosLike(sub, before));
        }
        parts.add(sub);
        parts.add(zerosLike(sub, after));
        return NDArrays.concat(parts, 1);
    }

    /** {@code channels} zero channels of x's batch and size, in the batches' memory format ({@link ChannelsLast}). */
    private static NDArray zerosLike(NDArray x, int channels) {
        Shape s = x.getShape();
        if (!ChannelsLast.enabled()) {
            return x.getManager().zeros(new Shape(s.get(0), channels, s.get(2), s.get(3)), x.getDataType(),
                    x.getDevice());
        }
        return ChannelsLast.fromNhwc(x.getManager().zeros(new Shape(s.get(0), s.get(2), s.get(3), channels),
                x.getDataType(), x.getDevice()));
    }
}
