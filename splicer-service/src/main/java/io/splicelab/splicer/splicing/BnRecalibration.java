package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.splicelab.model.net.DjlPrivateFields;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchNorm mode {@code recalibrate} (docs/science.md section 2): the running statistics of a deep part are
 * re-estimated on training inputs passed through the hybrid, as a cumulative (sample-weighted) average
 * over the batches, without gradients. DJL's BatchNorm updates its running statistics in place in
 * training mode as {@code running * momentum + batch * (1 - momentum)}; setting the momentum to
 * {@code seen / (seen + n)} before each batch of n inputs makes that the cumulative average. The
 * statistics are saved first and restored afterwards, so the deep donor is left as it was.
 */
public final class BnRecalibration implements AutoCloseable {
    private static final Field MOMENTUM = DjlPrivateFields.of(BatchNorm.class, "momentum");

    private final List<BatchNorm> layers;
    private final List<Float> momenta = new ArrayList<>();
    private final List<Parameter> stats = new ArrayList<>();
    private final List<float[]> saved = new ArrayList<>();
    private long seen;

    /** Saves the running statistics of the layers; {@link #close()} restores them. */
    public BnRecalibration(List<BatchNorm> layers) {
        this.layers = List.copyOf(layers);
        for (BatchNorm bn : this.layers) {
            momenta.add(momentum(bn));
            for (Pair<String, Parameter> p : bn.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN
                        || p.getValue().getType() == Parameter.Type.RUNNING_VAR) {
                    stats.add(p.getValue());
                    saved.add(p.getValue().getArray().toFloatArray());
                }
            }
        }
    }

    /** Call before the training-mode forward pass of a batch of n inputs. */
    public void beforeBatch(int n) {
        float m = (float) ((double) seen / (seen + n));
        for (BatchNorm bn : layers) {
            setMomentum(bn, m);
        }
        seen += n;
    }

    /** Restores the saved statistics and momenta. */
    @Override
    public void close() {
        for (int i = 0; i < stats.size(); i++) {
            NDArray a = stats.get(i).getArray();
            a.set(saved.get(i));
        }
        for (int i = 0; i < layers.size(); i++) {
            setMomentum(layers.get(i), momenta.get(i));
        }
    }

    private static float momentum(BatchNorm bn) {
        try {
            return MOMENTUM.getFloat(bn);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setMomentum(BatchNorm bn, float m) {
        try {
            MOMENTUM.setFloat(bn, m);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
