package io.splicelab.onnx;

import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.onnx.Layer.BatchNorm;
import io.splicelab.onnx.Layer.Conv;
import io.splicelab.onnx.Layer.Flatten;
import io.splicelab.onnx.Layer.GlobalAveragePool;
import io.splicelab.onnx.Layer.Identity;
import io.splicelab.onnx.Layer.Linear;
import io.splicelab.onnx.Layer.MaxPool;
import io.splicelab.onnx.Layer.Relu;
import io.splicelab.onnx.Layer.Residual;
import io.splicelab.onnx.Layer.Sequence;
import io.splicelab.onnx.Layer.ZeroPadShortcut;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network of docs/science.md section 1 as its segments of {@link Layer}s, exactly as shared-model's
 * {@code Networks} builds it with DJL ({@code NetworkLayoutTest} compares the two trees node for node for every
 * architecture): the CIFAR ResNets with option A or B shortcuts, {@code cnn} and {@code mlp}.
 * The cut names and positions are {@link Architectures}'.
 *
 * @param spec the network
 * @param segments the segments in order (the children of the network's top block)
 * @param segmentNames their names: {@code stem}, {@code s1b1} .. {@code s3bN}, {@code head}; or the small nets' cuts,
 *     then {@code head}
 * @param cuts every cut name, with the number of segments before it
 */
public record NetworkLayout(NetworkSpec spec, List<Layer> segments, List<String> segmentNames,
        Map<String, Integer> cuts) {

    public NetworkLayout {
        segments = List.copyOf(segments);
        segmentNames = List.copyOf(segmentNames);
        cuts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cuts));
    }

    /**
     * The layout of a network.
     *
     * @throws IllegalArgumentException for an architecture {@link Architectures} does not know
     */
    public static NetworkLayout of(NetworkSpec spec) {
        if (spec == null || spec.architecture() == null || !Architectures.isKnown(spec.architecture())) {
            throw new IllegalArgumentException("unknown architecture " + (spec == null ? null : spec.architecture())
                    + "; known: " + Architectures.NAMES + " (ResNets also with suffix " + Architectures.OPTION_B_SUFFIX
                    + ")");
        }
        return switch (Architectures.base(spec.architecture())) {
            case "cnn" -> cnn(spec);
            case "mlp" -> mlp(spec);
            default -> resnet(spec, spec.architecture().endsWith(Architectures.OPTION_B_SUFFIX));
        };
    }

    /** One example's input: [C, H, W]. */
    public long[] inputShape() {
        return new long[] {spec.channels(), spec.height(), spec.width()};
    }

    /** The shape of one example entering segment {@code index} (the network's input for 0). */
    public long[] shapeBefore(int index) {
        long[] shape = inputShape();
        for (int i = 0; i < index; i++) {
            shape = segments.get(i).output(shape);
        }
        return shape;
    }

    /**
     * Number of segments before a cut.
     *
     * @throws IllegalArgumentException naming the cut and the known ones
     */
    public int cutIndex(String cut) {
        Integer i = cuts.get(cut);
        if (i == null) {
            throw new IllegalArgumentException("'" + cut + "' is not a cut of " + spec.architecture() + "; its cuts: "
                    + cuts.keySet());
        }
        return i;
    }

    /** Widths are the base widths times the multiplier, rounded, at least 1 (as {@code Networks} does). */
    private static int scaled(int width, double multiplier) {
        return Math.max(1, (int) Math.round(width * multiplier));
    }

    private static Conv conv3x3(int filters, int stride) {
        return new Conv(filters, 3, stride, 1);
    }

    private static BatchNorm bn() {
        return new BatchNorm(BatchNorm.DJL_EPSILON);
    }

    private static NetworkLayout resnet(NetworkSpec spec, boolean optionB) {
        int n = Architectures.blocksPerStage(spec.architecture());
        int[] widths = new int[3];
        for (int s = 0; s < 3; s++) {
            widths[s] = scaled(16 << s, spec.widthMultiplier());
        }
        List<Layer> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Integer> cuts = new LinkedHashMap<>();
        segments.add(Sequence.of(conv3x3(widths[0], 1), bn(), new Relu()));
        names.add(Architectures.STEM);
        cuts.put(Architectures.STEM, 1);
        int inWidth = widths[0];
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < n; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                segments.add(basicBlock(inWidth, widths[s], stride, optionB));
                inWidth = widths[s];
                String name = Architectures.blockCut(s + 1, b + 1);
                names.add(name);
                cuts.put(name, segments.size());
                if (b == n - 1 && s < 2) {
                    cuts.put(Architectures.stageCut(s + 1), segments.size());
                }
            }
        }
        segments.add(Sequence.of(new GlobalAveragePool(), new Flatten(), new Linear(spec.numClasses())));
        names.add("head");
        return new NetworkLayout(spec, segments, names, cuts);
    }

    private static Layer basicBlock(int inWidth, int outWidth, int stride, boolean optionB) {
        Sequence residual = Sequence.of(conv3x3(outWidth, stride), bn(), new Relu(), conv3x3(outWidth, 1), bn());
        boolean same = stride == 1 && inWidth == outWidth;
        Layer shortcut = same ? new Identity()
                : optionB ? Sequence.of(new Conv(outWidth, 1, stride, 0), bn())
                : new ZeroPadShortcut(outWidth - inWidth, stride);
        return new Residual(residual, shortcut);
    }

    private static NetworkLayout cnn(NetworkSpec spec) {
        int w1 = scaled(32, spec.widthMultiplier());
        int w2 = scaled(64, spec.widthMultiplier());
        List<Layer> segments = List.of(
                Sequence.of(conv3x3(w1, 1), bn(), new Relu(), new MaxPool(2)),
                Sequence.of(conv3x3(w2, 1), bn(), new Relu(), new MaxPool(2)),
                Sequence.of(new Flatten(), new Linear(scaled(128, spec.widthMultiplier())), new Relu()),
                new Linear(spec.numClasses()));
        return small(spec, segments, Architectures.CNN_CUTS);
    }

    private static NetworkLayout mlp(NetworkSpec spec) {
        List<Layer> segments = List.of(
                Sequence.of(new Flatten(), new Linear(scaled(512, spec.widthMultiplier())), new Relu()),
                Sequence.of(new Linear(scaled(256, spec.widthMultiplier())), new Relu()),
                new Linear(spec.numClasses()));
        return small(spec, segments, Architectures.MLP_CUTS);
    }

    /** A small net: one segment per cut, named after it, then the head. */
    private static NetworkLayout small(NetworkSpec spec, List<Layer> segments, List<String> cutNames) {
        List<String> names = new ArrayList<>(cutNames);
        names.add("head");
        Map<String, Integer> cuts = new LinkedHashMap<>();
        for (int i = 0; i < cutNames.size(); i++) {
            cuts.put(cutNames.get(i), i + 1);
        }
        return new NetworkLayout(spec, segments, names, cuts);
    }
}
