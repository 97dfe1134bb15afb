package io.splicelab.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Networks;
import java.util.SplittableRandom;

/** The DJL side of the tests: checkpoints of shared-model's networks, and what their segments compute. */
final class DjlNetworks {
    static {
        DjlOffline.configure();
    }

    private DjlNetworks() {
    }

    /**
     * A checkpoint without training: a seeded initialisation whose BatchNorm statistics were moved by a few
     * training-mode passes over random inputs (so that they are not the initial zeros and ones), as parameter bytes.
     */
    static byte[] checkpoint(NetworkSpec spec, int seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            CutNetwork net = Networks.seeded(spec, seed, m);
            ParameterStore ps = new ParameterStore(m, false);
            for (int pass = 0; pass < 3; pass++) {
                try (NDManager batch = m.newSubManager()) {
                    NDArray x = images(batch, spec, 16, seed * 10 + pass).mul(1 + pass).add(0.1 * seed);
                    net.forward(ps, new NDList(x), 0, net.segments().size(), true);
                }
            }
            return Checkpoints.save(net.block());
        }
    }

    /** n seeded standard-normal images of the spec's shape. */
    static NDArray images(NDManager m, NetworkSpec spec, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n * spec.channels() * spec.height() * spec.width()];
        for (int i = 0; i < v.length; i++) {
            // Box-Muller: plain Gaussian pixels
            double u1 = 1 - rnd.nextDouble();
            double u2 = rnd.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return m.create(v, new Shape(n, spec.channels(), spec.height(), spec.width()));
    }

    /** Segments {@code [from, to)} of a loaded checkpoint in inference mode. */
    static NDArray forward(CutNetwork net, NDManager m, NDArray x, int from, int to) {
        return net.forward(new ParameterStore(m, false), new NDList(x), from, to, false).singletonOrThrow();
    }
}
