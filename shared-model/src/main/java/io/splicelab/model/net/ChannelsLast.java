package io.splicelab.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Puts image batches into PyTorch's channels-last memory format (NHWC in memory, NCHW in shape), so that every
 * convolution of the network, forward and backward, runs in it.
 *
 * <p>Why: with a plain NCHW tensor PyTorch hands oneDNN blocked layouts (channels in blocks of 16 with AVX-512, 8
 * with AVX2) and pads a layer whose channel count is not a multiple of the block. oneDNN 3.7.1's backward-data
 * convolution (libtorch 2.7.1, DJL 0.36) reads that padding of its output-gradient buffer without writing it, so
 * memory that last held a NaN turns the input gradient NaN: intermittent non-finite training steps on some CPUs
 * (docs/science.md section 8). Channels-last has no padded channel blocks: the same kernel check and 900 training
 * steps at AVX-512 gave no fault where NCHW gave one in a third of the seeds, and PyTorch no longer reorders every
 * activation between NCHW and the blocked layout and back, which makes training and inference faster.
 *
 * <p>DJL has no memory-format API, so the batch is created as NHWC and given the NCHW shape by a permutation
 * (a view); PyTorch recognises the strides, picks channels-last for the convolution, and BatchNorm, ReLU,
 * residual sums and pooling keep it. Values read back come in NCHW order as before. The system property
 * {@value #PROPERTY}{@code =contiguous} turns it off, to reproduce the fault (the nan-study benchmark's control).
 */
public final class ChannelsLast {
    /** System property: {@code channels-last} (the default) or {@code contiguous}. */
    public static final String PROPERTY = "splicelab.memory-format";

    private ChannelsLast() {
    }

    /** Whether batches are made channels-last in this process (not turned off by {@value #PROPERTY}). */
    public static boolean enabled() {
        return !"contiguous".equalsIgnoreCase(System.getProperty(PROPERTY, "channels-last").trim());
    }

    /**
     * A batch of {@code n} images of {@code c x h x w} given in NCHW order, as an {@code (n, c, h, w)} array
     * owned by {@code manager} whose memory is channels-last.
     */
    public static NDArray images(NDManager manager, float[] nchw, int n, int c, int h, int w) {
        if (nchw.length != n * c * h * w) {
            throw new IllegalArgumentException(nchw.length + " values for " + n + " images of " + c + "x" + h + "x" + w);
        }
        if (!enabled()) {
            return manager.create(nchw, new Shape(n, c, h, w));
        }
        return fromNhwc(manager.create(c == 1 ? nchw : toNhwc(nchw, n, c, h * w), new Shape(n, h, w, c)));
    }

    /**
     * Convolution kernels of {@code shape} {@code (out, in, kh, kw)}, given in that order, as an array owned by
     * {@code manager} whose memory is channels-last when batches are (a plain array otherwise, and for any other
     * rank). Why: libtorch's oneDNN convolution wants the kernels in the memory format of its input and copies
     * plain kernels into it on every call (PyTorch's profiler on the deep part from the stem cut: one copy per
     * convolution per batch, 5 of them at 64 channels, which on a busy 2-core machine took 3.7 ms each, parallel
     * regions waiting for a core); kernels made channels-last once are taken as they are. The values and the result
     * are the same: oneDNN reorders either layout into its own blocked one.
     */
    public static NDArray kernels(NDManager manager, float[] oihw, Shape shape) {
        if (!enabled() || shape.dimension() != 4) {
            return manager.create(oihw, shape);
        }
        int o = (int) shape.get(0);
        int i = (int) shape.get(1);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        return fromNhwc(manager.create(i == 1 ? oihw : toNhwc(oihw, o, i, h * w), new Shape(o, h, w, i)));
    }

    /** The {@code (n, h, w, c)} shape whose contiguous memory is the channels-last layout of {@code (n, c, h, w)}. */
    public static Shape nhwcShape(Shape nchw) {
        return new Shape(nchw.get(0), nchw.get(2), nchw.get(3), nchw.get(1));
    }

    /** A contiguous {@code (n, h, w, c)} array as an {@code (n, c, h, w)} channels-last view (no copy). */
    public static NDArray fromNhwc(NDArray nhwc) {
        return nhwc.transpose(0, 3, 1, 2);
    }

    /** An {@code (n, c, h, w)} array as an {@code (n, h, w, c)} view: its bytes read back in channels-last order. */
    public static NDArray nhwcView(NDArray nchw) {
        return nchw.transpose(0, 2, 3, 1);
    }

    static float[] toNhwc(float[] nchw, int n, int c, int plane) {
        float[] nhwc = new float[nchw.length];
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int ch = 0; ch < c; ch++) {
                int from = base + ch * plane;
                for (int p = 0; p < plane; p++) {
                    nhwc[base + p * c + ch] = nchw[from + p];
                }
            }
        }
        return nhwc;
    }
}
