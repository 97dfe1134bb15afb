package io.splicelab.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the CIFAR ResNet family (He et al. 2016): a 3x3 stem, three stages of n basic blocks with
 * widths 16/32/64 times a multiplier, global average pooling and a linear head. ResNet-20/32/56 have
 * n = 3/5/9. Shortcuts that change shape use option A (subsample and zero-pad channels, parameter-free,
 * as in the paper's CIFAR experiments). Cuts exist after the stem and after every residual block; the
 * stage boundaries are named {@code stem}, {@code stage1}, {@code stage2}.
 */
public final class Networks {
    /** The default cut set: the stage boundaries. */
    public static final List<String> STAGE_CUTS = List.of("stem", "stage1", "stage2");

    private Networks() {
    }

    /** Blocks per stage for an architecture name. */
    public static int blocksPerStage(String architecture) {
        return switch (architecture) {
            case "resnet20" -> 3;
            case "resnet32" -> 5;
            case "resnet56" -> 9;
            default -> throw new IllegalArgumentException("unknown architecture " + architecture);
        };
    }

    /** Builds an uninitialised network; initialise it or load a checkpoint into it. */
    public static CutNetwork build(NetworkSpec spec) {
        int n = blocksPerStage(spec.architecture());
        int[] widths = new int[3];
        for (int s = 0; s < 3; s++) {
            widths[s] = Math.max(1, (int) Math.round((16 << s) * spec.widthMultiplier()));
        }
        SequentialBlock net = new SequentialBlock();
        List<String> segments = new ArrayList<>();
        Map<String, Integer> cuts = new LinkedHashMap<>();

        net.add(new SequentialBlock().add(conv3x3(widths[0], 1)).add(BatchNorm.builder().build())
                .add(Activation.reluBlock()));
        segments.add("stem");
        cuts.put("stem", 1);

        int inWidth = widths[0];
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < n; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                net.add(basicBlock(inWidth, widths[s], stride));
                inWidth = widths[s];
                String name = "s" + (s + 1) + "b" + (b + 1);
                segments.add(name);
                cuts.put(name, segments.size());
            }
            if (s < 2) {
                cuts.put("stage" + (s + 1), segments.size());
            }
        }
        net.add(new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(spec.numClasses()).build()));
        segments.add("head");
        return new CutNetwork(spec, net, segments, orderByDepth(cuts));
    }

    private static Map<String, Integer> orderByDepth(Map<String, Integer> cuts) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        cuts.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEachOrdered(e -> ordered.put(e.getKey(),
                e.getValue()));
        return ordered;
    }

    private static Conv2d conv3x3(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).optBias(false).build();
    }

    private static Block basicBlock(int inWidth, int outWidth, int stride) {
        SequentialBlock residual = new SequentialBlock().add(conv3x3(outWidth, stride)).add(BatchNorm.builder().build())
                .add(Activation.reluBlock()).add(conv3x3(outWidth, 1)).add(BatchNorm.builder().build());
        Block shortcut = (stride == 1 && inWidth == outWidth) ? Blocks.identityBlock()
                : new LambdaBlock(x -> new NDList(optionA(x.singletonOrThrow(), outWidth - inWidth, stride)));
        return new ParallelBlock(list -> new NDList(Activation.relu(
                list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow()))), List.of(residual, shortcut));
    }

    /** x[:, :, ::s, ::s] through a reshape and fixed indices (portable across engines). */
    private static NDArray subsample(NDArray x, int stride) {
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        if (h % stride != 0 || w % stride != 0) {
            throw new IllegalArgumentException("spatial size " + h + "x" + w + " not divisible by stride " + stride);
        }
        return x.reshape(s.get(0), s.get(1), h / stride, stride, w / stride, stride).get(":, :, :, 0, :, 0");
    }

    /** Option A shortcut: spatial subsampling and zero channels appended. */
    private static NDArray optionA(NDArray x, int extraChannels, int stride) {
        NDArray sub = stride == 1 ? x : subsample(x, stride);
        if (extraChannels <= 0) {
            return sub;
        }
        Shape s = sub.getShape();
        int before = extraChannels / 2;
        int after = extraChannels - before;
        NDList parts = new NDList();
        if (before > 0) {
            parts.add(sub.getManager().zeros(new Shape(s.get(0), before, s.get(2), s.get(3)), sub.getDataType(),
                    sub.getDevice()));
        }
        parts.add(sub);
        parts.add(sub.getManager().zeros(new Shape(s.get(0), after, s.get(2), s.get(3)), sub.getDataType(),
                sub.getDevice()));
        return NDArrays.concat(parts, 1);
    }
}
