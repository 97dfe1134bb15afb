package io.splicelab.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * One node of a network as shared-model's {@code Networks} builds it from DJL blocks, written without DJL: the same
 * tree, node for node, because DJL's parameter file is that tree written depth first ({@link DjlParameterFile} reads
 * it along this one) and an exported segment is that tree written as ONNX nodes ({@link SegmentGraphs}). Each node
 * knows the shape it makes of one example (no batch dimension), so the shapes of the parameters and of every
 * segment's input follow from the network's input alone.
 */
public sealed interface Layer {
    /** The shape of one example's output for an input of shape {@code in} (no batch dimension). */
    long[] output(long[] in);

    /** DJL's {@code SequentialBlock}: the layers one after the other. */
    record Sequence(List<Layer> layers) implements Layer {
        public Sequence {
            layers = List.copyOf(layers);
        }

        public static Sequence of(Layer... layers) {
            return new Sequence(List.of(layers));
        }

        @Override
        public long[] output(long[] in) {
            long[] shape = in;
            for (Layer l : layers) {
                shape = l.output(shape);
            }
            return shape;
        }
    }

    /**
     * A basic residual block, DJL's {@code ParallelBlock} of two branches joined by
     * {@code relu(residual(x) + shortcut(x))}.
     */
    record Residual(Layer residual, Layer shortcut) implements Layer {
        @Override
        public long[] output(long[] in) {
            long[] r = residual.output(in);
            long[] s = shortcut.output(in);
            if (!Arrays.equals(r, s)) {
                throw new IllegalArgumentException("residual branch makes " + Arrays.toString(r) + " but the shortcut "
                        + Arrays.toString(s) + " of input " + Arrays.toString(in));
            }
            return r;
        }
    }

    /** DJL's {@code Conv2d} without bias: square kernel, the same stride and zero padding on both axes. */
    record Conv(int filters, int kernel, int stride, int padding) implements Layer {
        @Override
        public long[] output(long[] in) {
            requireImage(in, this);
            return new long[] {filters, (in[1] + 2L * padding - kernel) / stride + 1,
                    (in[2] + 2L * padding - kernel) / stride + 1};
        }
    }

    /** DJL's {@code BatchNorm} over the channel axis, in its inference form (running statistics). */
    record BatchNorm(float epsilon) implements Layer {
        /** DJL's default epsilon, which the networks use. */
        public static final float DJL_EPSILON = 1e-5f;

        @Override
        public long[] output(long[] in) {
            return in;
        }
    }

    /** DJL's {@code Linear} with bias: {@code x W^T + b} on a flat input. */
    record Linear(int units) implements Layer {
        @Override
        public long[] output(long[] in) {
            if (in.length != 1) {
                throw new IllegalArgumentException("a linear layer takes a flat input, not " + Arrays.toString(in));
            }
            return new long[] {units};
        }
    }

    /** {@code Activation.reluBlock()}. */
    record Relu() implements Layer {
        @Override
        public long[] output(long[] in) {
            return in;
        }
    }

    /** {@code Blocks.identityBlock()}: the shortcut of a block that keeps its shape. */
    record Identity() implements Layer {
        @Override
        public long[] output(long[] in) {
            return in;
        }
    }

    /** {@code Pool.maxPool2dBlock(size x size)}: stride = size, no padding, rounding down. */
    record MaxPool(int size) implements Layer {
        @Override
        public long[] output(long[] in) {
            requireImage(in, this);
            return new long[] {in[0], in[1] / size, in[2] / size};
        }
    }

    /** {@code Pool.globalAvgPool2dBlock()}: the mean of each channel (kept as C x 1 x 1 here). */
    record GlobalAveragePool() implements Layer {
        @Override
        public long[] output(long[] in) {
            requireImage(in, this);
            return new long[] {in[0], 1, 1};
        }
    }

    /** {@code Blocks.batchFlattenBlock()}: one flat vector per example. */
    record Flatten() implements Layer {
        @Override
        public long[] output(long[] in) {
            long n = 1;
            for (long d : in) {
                n = Math.multiplyExact(n, d);
            }
            return new long[] {n};
        }
    }

    /**
     * The option A shortcut of the CIFAR ResNets (a parameter-free DJL {@code LambdaBlock}): {@code x[:, :, ::s, ::s]}
     * with {@code extra / 2} zero channels before and the rest after.
     */
    record ZeroPadShortcut(int extraChannels, int stride) implements Layer {
        @Override
        public long[] output(long[] in) {
            requireImage(in, this);
            return new long[] {in[0] + extraChannels, (in[1] + stride - 1) / stride, (in[2] + stride - 1) / stride};
        }

        /** Zero channels before the input's. */
        public int before() {
            return extraChannels / 2;
        }

        /** Zero channels after the input's. */
        public int after() {
            return extraChannels - before();
        }
    }

    private static void requireImage(long[] in, Layer layer) {
        if (in.length != 3) {
            throw new IllegalArgumentException(layer + " takes a C x H x W input, not " + Arrays.toString(in));
        }
    }
}
