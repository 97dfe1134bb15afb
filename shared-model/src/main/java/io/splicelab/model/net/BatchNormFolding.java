package io.splicelab.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.lang.reflect.Field;
import java.util.List;

/**
 * A network's inference form: every BatchNorm folded, with its running statistics, into the convolution before it
 * (weights scaled per output channel by {@code gamma / sqrt(var + eps)}, a bias {@code beta - mean * scale} added).
 * In inference BatchNorm is an affine map per channel, so the folded network computes the same function; what it
 * saves is a full pass over every activation per BatchNorm layer, which on a CPU costs as much as a fifth of a
 * ResNet's deep part (docs/science.md section 8). The result differs from the unfolded network in the last bits of
 * float32, so everything that must agree bit for bit (the grid's cells, a plain evaluation of the same checkpoint)
 * runs the folded form: {@link Inference} and the splicer's grid both fold.
 *
 * <p>The convolution kernels of the inference form are made channels-last when batches are
 * ({@link ChannelsLast#kernels}): libtorch would otherwise copy every kernel into that format on every call.
 *
 * <p>The scale and shift are computed in double precision from the float32 parameters and rounded once. Training
 * and BatchNorm recalibration need the unfolded network: a folded copy is a snapshot of the statistics it was made
 * from.
 */
public final class BatchNormFolding {
    private static final Field EPSILON = DjlPrivateFields.of(BatchNorm.class, "epsilon");

    private BatchNormFolding() {
    }

    /**
     * The inference form of {@code net}, its arrays owned by {@code manager}; {@code net} itself when it has no
     * BatchNorm to fold (already folded, or a network without BatchNorm). The parameters keep their data type.
     */
    public static CutNetwork fold(CutNetwork net, NDManager manager) {
        if (net.batchNormFolded()) {
            return net;
        }
        CutNetwork folded = Networks.build(net.spec(), true);
        folded.block().initialize(manager, DataType.FLOAT32, Checkpoints.inputShape(net.spec()));
        copy(net.block(), folded.block());
        return folded;
    }

    /** Fills {@code to}, the folded form of {@code from}'s structure, walking both trees side by side. */
    private static void copy(Block from, Block to) {
        List<Block> a = from.getChildren().values();
        List<Block> b = to.getChildren().values();
        if (a.isEmpty()) {
            if (from instanceof BatchNorm) {
                throw new IllegalStateException("a BatchNorm that does not follow a convolution cannot be folded");
            }
            for (Pair<String, Parameter> p : from.getParameters()) {
                Parameter target = to.getParameters().get(p.getKey());
                NDArray source = p.getValue().getArray();
                NDManager m = target.getArray().getManager();
                NDArray copy = from instanceof Conv2d && source.getDataType() == DataType.FLOAT32
                        && source.getShape().dimension() == 4
                        ? ChannelsLast.kernels(m, source.toFloatArray(), source.getShape()) : source.duplicate();
                copy.attach(m);
                ParameterCasts.replace(target, copy);
            }
            return;
        }
        int j = 0;
        for (int i = 0; i < a.size(); i++, j++) {
            if (a.get(i) instanceof Conv2d conv && i + 1 < a.size() && a.get(i + 1) instanceof BatchNorm bn) {
                foldInto(conv, bn, (Conv2d) b.get(j));
                i++;
            } else {
                copy(a.get(i), b.get(j));
            }
        }
        if (j != b.size()) {
            throw new IllegalStateException("the folded network has " + b.size() + " blocks where " + j + " were made");
        }
    }

    private static void foldInto(Conv2d conv, BatchNorm bn, Conv2d target) {
        NDArray weight = conv.getParameters().get("weight").getArray();
        DataType type = weight.getDataType();
        float[] w = floats(weight);
        float[] gamma = floats(bn, Parameter.Type.GAMMA);
        float[] beta = floats(bn, Parameter.Type.BETA);
        float[] mean = floats(bn, Parameter.Type.RUNNING_MEAN);
        float[] var = floats(bn, Parameter.Type.RUNNING_VAR);
        int channels = var.length;
        int per = w.length / channels;
        double eps = epsilon(bn);
        float[] bias = new float[channels];
        float[] scaled = new float[w.length];
        for (int o = 0; o < channels; o++) {
            double s = (gamma == null ? 1.0 : gamma[o]) / Math.sqrt(var[o] + eps);
            for (int k = o * per; k < (o + 1) * per; k++) {
                scaled[k] = (float) (w[k] * s);
            }
            bias[o] = (float) ((beta == null ? 0.0 : beta[o]) - mean[o] * s);
        }
        NDManager m = target.getParameters().get("weight").getArray().getManager();
        ParameterCasts.replace(target.getParameters().get("weight"), typed(ChannelsLast.kernels(m, scaled, weight.getShape()),
                type));
        ParameterCasts.replace(target.getParameters().get("bias"), typed(m.create(bias), type));
    }

    /** A new float32 array as {@code type} (the source network's), in its manager. */
    private static NDArray typed(NDArray values, DataType type) {
        if (values.getDataType() == type) {
            return values;
        }
        NDArray cast = values.toType(type, false);
        values.close();
        return cast;
    }

    private static float[] floats(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static float[] floats(BatchNorm bn, Parameter.Type type) {
        for (Pair<String, Parameter> p : bn.getParameters()) {
            if (p.getValue().getType() == type) {
                return floats(p.getValue().getArray());
            }
        }
        return null;
    }

    private static double epsilon(BatchNorm bn) {
        try {
            return EPSILON.getFloat(bn);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
