package io.splicelab.model.net;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as an ordered list of segments with named cut points: {@code shallow_d} is the segments
 * before cut d and {@code deep_d} the rest, so a hybrid is the deep part of one checkpoint applied to the
 * shallow features of another (docs/science.md section 1).
 */
public final class CutNetwork {
    private final NetworkSpec spec;
    private final SequentialBlock block;
    private final List<String> segments;
    private final Map<String, Integer> cuts;
    private final boolean batchNormFolded;

    CutNetwork(NetworkSpec spec, SequentialBlock block, List<String> segments, Map<String, Integer> cuts,
            boolean batchNormFolded) {
        this.batchNormFolded = batchNormFolded;
        this.spec = spec;
        this.block = block;
        this.segments = List.copyOf(segments);
        this.cuts = new LinkedHashMap<>(cuts);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Whether this is a network's inference form, without BatchNorm layers ({@link BatchNormFolding}); a network
     * without BatchNorm (the MLP) is its own inference form.
     */
    public boolean batchNormFolded() {
        return batchNormFolded;
    }

    /** The whole network as one DJL block (what a trainer trains and a checkpoint saves). */
    public SequentialBlock block() {
        return block;
    }

    /** Segment names in order: {@code stem}, {@code s1b1} .. {@code s3bN}, {@code head}. */
    public List<String> segments() {
        return segments;
    }

    /** Every cut name, in order of depth. */
    public List<String> cutNames() {
        return List.copyOf(cuts.keySet());
    }

    /** Number of segments in the shallow part of a cut. */
    public int cutIndex(String cut) {
        Integer i = cuts.get(cut);
        if (i == null) {
            throw new IllegalArgumentException("unknown cut '" + cut + "'; known: " + cuts.keySet());
        }
        return i;
    }

    /**
     * Runs segments {@code [from, to)} on x. x itself is left as it is (it may be a cached feature); the activations
     * between segments are this pass's own, so a segment may write its result into its input's memory
     * ({@link #INPUT_OWNED}).
     */
    public NDList forward(ParameterStore ps, NDList x, int from, int to, boolean training) {
        List<Block> segments = block.getChildren().values();
        if (!training && from < to && x.size() == 1) {
            // in inference: a run of blocks (and the head) as one module where they can (ScriptedBlocks)
            NDList current = x;
            int start = from;
            if (start == 0 && ScriptedBlocks.kind(segments.get(0)) == null) {
                current = segments.get(0).forward(ps, x, false, null); // the stem; its output is this pass's own
                start = 1;
            }
            NDList out = start < to ? ScriptedBlocks.forward(this, ps, current.singletonOrThrow(), start, to) : null;
            if (out != null) {
                return out;
            }
            if (start > from) {
                return stepwise(ps, current, start, to, false, true);
            }
        }
        return stepwise(ps, x, from, to, training, false);
    }

    /** {@link #forward} in inference, one segment at a time from Java, never as one module. */
    NDList forwardBlockByBlock(ParameterStore ps, NDList x, int from, int to) {
        return stepwise(ps, x, from, to, false, false);
    }

    /** Segments {@code [from, to)} one at a time; {@code ownInput}: x is already an activation of this pass. */
    private NDList stepwise(ParameterStore ps, NDList x, int from, int to, boolean training, boolean ownInput) {
        NDList current = x;
        List<Block> children = block.getChildren().values();
        for (int i = from; i < to; i++) {
            current = children.get(i).forward(ps, current, training, i > from || ownInput ? inputOwned() : null);
        }
        return current;
    }

    /**
     * The block parameter that tells a segment its input is an activation of the current pass which nothing else
     * holds or reads again: an inference-form residual block then sums its result into that memory instead of a
     * fresh array ({@link FusedResidual}).
     */
    static final String INPUT_OWNED = "splicelab.input-owned";

    private static PairList<String, Object> inputOwned() {
        PairList<String, Object> params = new PairList<>();
        params.add(INPUT_OWNED, Boolean.TRUE);
        return params;
    }

    /** Whether a segment's block parameters say its input may be overwritten ({@link #INPUT_OWNED}). */
    static boolean inputOwned(PairList<String, Object> params) {
        return params != null && Boolean.TRUE.equals(params.get(INPUT_OWNED));
    }

    /** The shallow part: input to the activations at the cut. */
    public NDList shallow(ParameterStore ps, NDList x, String cut) {
        return forward(ps, x, 0, cutIndex(cut), false);
    }

    /** The deep part: activations at the cut to logits. */
    public NDList deep(ParameterStore ps, NDList features, String cut) {
        return forward(ps, features, cutIndex(cut), segments.size(), false);
    }

    /** The whole network in inference mode. */
    public NDList logits(ParameterStore ps, NDList x) {
        return forward(ps, x, 0, segments.size(), false);
    }
}
