package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.splicelab.model.net.CutNetwork;
import java.util.List;

/**
 * What the grid needs of a network: an ordered list of segments with named cuts. A trained checkpoint
 * ({@link CutNetwork}) is one; an imported checkpoint (ONNX segments) is another.
 */
public interface SegmentedNet extends AutoCloseable {
    int segmentCount();

    /** Number of segments in the shallow part of a cut. */
    int cutIndex(String cut);

    /** Runs segments {@code [from, to)} on x. */
    NDList forward(ParameterStore ps, NDList x, int from, int to, boolean training);

    /** The trainable parameters of each segment, flattened; null when unknown (imported networks). */
    float[][] segmentParameters();

    /** The BatchNorm layers of segments {@code [from, to)}; empty when their statistics cannot be re-estimated. */
    List<BatchNorm> batchNorms(int from, int to);

    /**
     * Told when BatchNorm running statistics were changed in place (a recalibration) and again when they were
     * restored: an inference form made from them is stale.
     */
    default void statisticsChanged() {
    }

    /** Whether {@code recalibrate} can be applied to this network's deep parts. */
    default boolean recalibratable() {
        return true;
    }

    @Override
    default void close() {
    }

    static SegmentedNet of(CutNetwork net) {
        return new CutSegmentedNet(net);
    }
}
