package io.splicelab.onnx;

import io.splicelab.onnx.DjlParameterFile.Tensor;
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
import io.splicelab.onnx.OnnxWriter.Attr;
import java.util.List;
import java.util.Map;

/**
 * Writes consecutive segments of a network as one ONNX model (opset 13, float32): one input, the activations the first
 * of them takes with a symbolic batch dimension, and one output. Every layer becomes the ONNX operators that compute
 * what its DJL block computes in inference: {@code Conv}, {@code BatchNormalization} with the running statistics
 * (kept as a node, not folded into the convolution, so the graph reads like the network), {@code Relu},
 * {@code Add}, {@code MaxPool}, {@code GlobalAveragePool}, {@code Flatten}, {@code Gemm} for a linear layer, and for
 * an option A shortcut {@code Slice} (every s-th row and column) and {@code Pad} (the zero channels).
 */
final class SegmentGraphs {
    private final NetworkLayout layout;
    private final Map<String, Tensor> weights;

    SegmentGraphs(NetworkLayout layout, Map<String, Tensor> weights) {
        this.layout = layout;
        this.weights = weights;
    }

    /** Segments {@code [from, to)} as one ONNX model named {@code name}. */
    byte[] model(String name, int from, int to) {
        if (from < 0 || to > layout.segments().size() || from >= to) {
            throw new IllegalArgumentException("segments [" + from + ", " + to + ") of " + layout.segments().size());
        }
        OnnxWriter w = new OnnxWriter(name);
        String input = "input";
        String current = input;
        for (int i = from; i < to; i++) {
            current = layer(w, layout.segments().get(i), String.valueOf(i), current);
        }
        return w.model(input, batchOf(layout.shapeBefore(from)), current, batchOf(layout.shapeBefore(to)));
    }

    /** The shape of a batch of examples of a shape: -1 (any batch size) first. */
    static long[] batchOf(long[] example) {
        long[] dims = new long[example.length + 1];
        dims[0] = -1;
        System.arraycopy(example, 0, dims, 1, example.length);
        return dims;
    }

    private String layer(OnnxWriter w, Layer layer, String path, String x) {
        if (layer instanceof Sequence seq) {
            String current = x;
            for (int i = 0; i < seq.layers().size(); i++) {
                current = layer(w, seq.layers().get(i), path + "/" + i, current);
            }
            return current;
        }
        if (layer instanceof Residual res) {
            String residual = layer(w, res.residual(), path + "/0", x);
            String shortcut = layer(w, res.shortcut(), path + "/1", x);
            return w.node("Relu", List.of(w.node("Add", List.of(residual, shortcut))));
        }
        if (layer instanceof Conv conv) {
            String weight = constant(w, "conv_w", path, "weight");
            long p = conv.padding();
            return w.node("Conv", List.of(x, weight), Attr.ints("kernel_shape", conv.kernel(), conv.kernel()),
                    Attr.ints("strides", conv.stride(), conv.stride()), Attr.ints("pads", p, p, p, p));
        }
        if (layer instanceof BatchNorm bn) {
            return w.node("BatchNormalization", List.of(x, constant(w, "bn_gamma", path, "gamma"),
                    constant(w, "bn_beta", path, "beta"), constant(w, "bn_mean", path, "runningMean"),
                    constant(w, "bn_var", path, "runningVar")), Attr.f("epsilon", bn.epsilon()));
        }
        if (layer instanceof Linear) {
            return w.node("Gemm", List.of(x, constant(w, "fc_w", path, "weight"), constant(w, "fc_b", path, "bias")),
                    Attr.i("transB", 1));
        }
        if (layer instanceof Relu) {
            return w.node("Relu", List.of(x));
        }
        if (layer instanceof Identity) {
            return x;
        }
        if (layer instanceof MaxPool pool) {
            return w.node("MaxPool", List.of(x), Attr.ints("kernel_shape", pool.size(), pool.size()),
                    Attr.ints("strides", pool.size(), pool.size()));
        }
        if (layer instanceof GlobalAveragePool) {
            return w.node("GlobalAveragePool", List.of(x));
        }
        if (layer instanceof Flatten) {
            return w.node("Flatten", List.of(x), Attr.i("axis", 1));
        }
        if (layer instanceof ZeroPadShortcut pad) {
            String sub = x;
            if (pad.stride() > 1) {
                long s = pad.stride();
                sub = w.node("Slice", List.of(x, w.int64s("starts", new long[] {0, 0}, 2),
                        w.int64s("ends", new long[] {Long.MAX_VALUE, Long.MAX_VALUE}, 2),
                        w.int64s("axes", new long[] {2, 3}, 2), w.int64s("steps", new long[] {s, s}, 2)));
            }
            if (pad.extraChannels() <= 0) {
                return sub;
            }
            // pads: begin of N, C, H, W then end of N, C, H, W
            long[] pads = {0, pad.before(), 0, 0, 0, pad.after(), 0, 0};
            return w.node("Pad", List.of(sub, w.int64s("pads", pads, pads.length)));
        }
        throw new IllegalArgumentException("no ONNX form for " + layer);
    }

    private String constant(OnnxWriter w, String hint, String path, String parameter) {
        Tensor t = weights.get(DjlParameterFile.key(path, parameter));
        if (t == null) {
            throw new IllegalStateException("no parameter " + parameter + " of layer " + path);
        }
        return w.weight(hint, t.values(), t.shape());
    }
}
