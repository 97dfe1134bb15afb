package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.ndarray.NDManager;
import io.splicelab.model.net.BatchNormFolding;
import io.splicelab.model.net.CutNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained checkpoint as a segmented network. Inference passes run its inference form, BatchNorm folded into the
 * convolutions ({@link BatchNormFolding}): made on the first one from the current statistics and kept, dropped when
 * they change ({@link #statisticsChanged()}); training-mode passes (recalibration) run the network itself.
 */
final class CutSegmentedNet implements SegmentedNet, RunGrid.LowPrecision {
    private final CutNetwork net;
    private NDManager foldedScope;
    private CutNetwork folded;

    CutSegmentedNet(CutNetwork net) {
        this.net = net;
    }

    @Override
    public void cast(DataType type) {
        io.splicelab.model.net.ParameterCasts.cast(net.block(), type);
        statisticsChanged();
    }

    @Override
    public int segmentCount() {
        return net.segments().size();
    }

    @Override
    public int cutIndex(String cut) {
        return net.cutIndex(cut);
    }

    @Override
    public NDList forward(ParameterStore ps, NDList x, int from, int to, boolean training) {
        return training ? net.forward(ps, x, from, to, true) : inferenceForm().forward(ps, x, from, to, false);
    }

    private CutNetwork inferenceForm() {
        if (folded == null) {
            NDManager owner = net.block().getParameters().valueAt(0).getArray().getManager();
            foldedScope = owner.newSubManager();
            folded = BatchNormFolding.fold(net, foldedScope);
        }
        return folded;
    }

    @Override
    public void statisticsChanged() {
        if (foldedScope != null) {
            foldedScope.close();
        }
        foldedScope = null;
        folded = null;
    }

    @Override
    public void close() {
        statisticsChanged();
    }

    @Override
    public float[][] segmentParameters() {
        List<Block> children = net.block().getChildren().values();
        float[][] out = new float[children.size()][];
        for (int i = 0; i < children.size(); i++) {
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (Pair<String, Parameter> p : children.get(i).getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue; // BatchNorm running statistics are not parameters in the distance
                }
                NDArray a = p.getValue().getArray();
                float[] f = a.toFloatArray();
                parts.add(f);
                total += f.length;
            }
            float[] flat = new float[total];
            int at = 0;
            for (float[] f : parts) {
                System.arraycopy(f, 0, flat, at, f.length);
                at += f.length;
            }
            out[i] = flat;
        }
        return out;
    }

    @Override
    public List<BatchNorm> batchNorms(int from, int to) {
        List<BatchNorm> out = new ArrayList<>();
        List<Block> children = net.block().getChildren().values();
        for (int i = from; i < to; i++) {
            collect(children.get(i), out);
        }
        return out;
    }

    private void collect(Block block, List<BatchNorm> out) {
        if (block instanceof BatchNorm bn) {
            out.add(bn);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out);
        }
    }
}
