package io.splicelab.splicer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.splicer.onnx.OnnxWriter.Attr;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exports a DJL {@link CutNetwork} of the CIFAR family (convolutions, BatchNorm in its inference form, ReLU,
 * residual blocks with identity or 1x1-convolution shortcuts, global average pool, dense head) to ONNX, one model
 * per group of consecutive segments. Parameter-free lambda blocks are recognised by what they do to a probe
 * (ReLU, identity, global average pool, flatten).
 */
public final class DjlOnnxExport {
    private final CutNetwork net;
    private final NDManager manager;
    private final ParameterStore ps;

    public DjlOnnxExport(CutNetwork net, NDManager manager) {
        this.net = net;
        this.manager = manager;
        this.ps = new ParameterStore(manager, false);
    }

    /** Segments {@code [from, to)} of the network as one ONNX model (input: what segment {@code from} takes). */
    public byte[] export(int from, int to, Shape imageShape) {
        NDArray probe = manager.zeros(new Shape(1).addAll(imageShape));
        Shape in = net.forward(ps, new NDList(probe), 0, from, false).singletonOrThrow().getShape();
        long[] dims = in.getShape().clone();
        dims[0] = -1;
        OnnxWriter w = new OnnxWriter("segments_" + from + "_" + to);
        String x = "input";
        String current = x;
        List<Block> children = net.block().getChildren().values();
        for (int i = from; i < to; i++) {
            current = block(w, children.get(i), current);
        }
        return w.model(x, dims, current);
    }

    private String block(OnnxWriter w, Block b, String x) {
        if (b instanceof Conv2d conv) {
            return conv(w, conv, x);
        }
        if (b instanceof BatchNorm bn) {
            return batchNorm(w, bn, x);
        }
        if (b instanceof Linear linear) {
            NDArray weight = param(linear, "weight");
            NDArray bias = param(linear, "bias");
            String wn = w.weight("fc_w", weight.toFloatArray(), weight.getShape().getShape());
            String bn = w.weight("fc_b", bias.toFloatArray(), bias.getShape().getShape());
            return w.node("Gemm", List.of(x, wn, bn), Attr.i("transB", 1));
        }
        if (b instanceof SequentialBlock seq) {
            String current = x;
            for (Pair<String, Block> c : seq.getChildren()) {
                current = block(w, c.getValue(), current);
            }
            return current;
        }
        if (b instanceof ParallelBlock par) {
            // the basic block: relu(residual(x) + shortcut(x))
            List<Block> branches = par.getChildren().values();
            String residual = block(w, branches.get(0), x);
            String shortcut = block(w, branches.get(1), x);
            return w.node("Relu", List.of(w.node("Add", List.of(residual, shortcut))));
        }
        if (b instanceof LambdaBlock lambda) {
            return lambda(w, lambda, x);
        }
        throw new IllegalArgumentException("cannot export " + b.getClass().getName());
    }

    private String conv(OnnxWriter w, Conv2d conv, String x) {
        NDArray weight = param(conv, "weight");
        String wn = w.weight("conv_w", weight.toFloatArray(), weight.getShape().getShape());
        List<String> inputs = new ArrayList<>(List.of(x, wn));
        for (Pair<String, Parameter> p : conv.getParameters()) {
            if (p.getKey().equals("bias")) {
                NDArray bias = p.getValue().getArray();
                inputs.add(w.weight("conv_b", bias.toFloatArray(), bias.getShape().getShape()));
            }
        }
        long[] k = conv.getKernelShape().getShape();
        long[] s = conv.getStride().getShape();
        long[] p = conv.getPadding().getShape();
        return w.node("Conv", inputs, Attr.ints("kernel_shape", k), Attr.ints("strides", s),
                Attr.ints("pads", p[0], p[1], p[0], p[1]));
    }

    private String batchNorm(OnnxWriter w, BatchNorm bn, String x) {
        String gamma = vector(w, "bn_gamma", param(bn, "gamma"));
        String beta = vector(w, "bn_beta", param(bn, "beta"));
        String mean = vector(w, "bn_mean", param(bn, "runningMean"));
        String var = vector(w, "bn_var", param(bn, "runningVar"));
        return w.node("BatchNormalization", List.of(x, gamma, beta, mean, var), Attr.f("epsilon", epsilon(bn)));
    }

    private static String vector(OnnxWriter w, String hint, NDArray a) {
        return w.weight(hint, a.toFloatArray(), a.size());
    }

    private static float epsilon(BatchNorm bn) {
        try {
            Field f = BatchNorm.class.getDeclaredField("epsilon");
            f.setAccessible(true);
            return f.getFloat(bn);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NDArray param(Block b, String name) {
        for (Pair<String, Parameter> p : b.getParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue().getArray();
            }
        }
        throw new IllegalArgumentException("no parameter " + name + " in " + b);
    }

    /** Recognises a parameter-free block by running it on a probe with positive and negative values. */
    private String lambda(OnnxWriter w, LambdaBlock lambda, String x) {
        float[] values = {1, -2, 3, -4, 5, -6, 7, -8};
        NDArray probe = manager.create(values, new Shape(1, 2, 2, 2));
        NDArray out = lambda.forward(ps, new NDList(probe), false).singletonOrThrow();
        float[] got = out.toFloatArray();
        long[] shape = out.getShape().getShape();
        if (Arrays.equals(shape, new long[] {1, 2, 2, 2})) {
            if (Arrays.equals(got, values)) {
                return x; // identity
            }
            float[] relu = values.clone();
            for (int i = 0; i < relu.length; i++) {
                relu[i] = Math.max(0, relu[i]);
            }
            if (Arrays.equals(got, relu)) {
                return w.node("Relu", List.of(x));
            }
        }
        if (Arrays.equals(shape, new long[] {1, 8}) && Arrays.equals(got, values)) {
            return w.node("Flatten", List.of(x), Attr.i("axis", 1));
        }
        if (got.length == 2 && Math.abs(got[0] - (-0.5f)) < 1e-6 && Math.abs(got[1] - (-0.5f)) < 1e-6) {
            String pooled = w.node("GlobalAveragePool", List.of(x));
            return shape.length == 2 ? w.node("Flatten", List.of(pooled), Attr.i("axis", 1)) : pooled;
        }
        throw new IllegalArgumentException("cannot tell what lambda block " + lambda + " does: " + Arrays.toString(shape)
                + " " + Arrays.toString(got));
    }
}
