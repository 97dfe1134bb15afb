package io.splicelab.splicer.splicing;

import io.splicelab.model.features.HybridPredictions;
import java.util.Map;

/**
 * One evaluated hybrid {@code H_cut(shallowStep -> deepStep)}: shallow part from one checkpoint, deep
 * part from another, scored on an evaluation set with a BatchNorm mode, computed at a precision. The
 * diagonal (same step twice) in mode {@code carry} is the plain checkpoint.
 *
 * @param predictions what the hybrid predicted for every image, when the cell was just computed (handed to the
 *        grid's listener, to be stored); null for a cell remembered from the store and in the grid's return values,
 *        so that a checkpoint's cells do not keep every image's prediction in memory
 * @param evalSubset which images of the split the evaluation set holds (the contract's {@code EvalSubset}
 *        description, e.g. {@code first size=500}); null when the grid was not told
 * @param deepDonorAtChance whether the deep donor is at chance on the evaluation set ({@link ChanceLevel}; then the
 *        metrics have no relative accuracy); null for a cell remembered from before the rule
 */
public record HybridCell(String cut, String evalSet, String bnMode, String precision, int shallowStep,
        int deepStep, int samples, Map<String, Double> metrics, HybridPredictions predictions, String evalSubset,
        Boolean deepDonorAtChance) {

    /** A cell without the chance flag (remembered from before the rule). */
    public HybridCell(String cut, String evalSet, String bnMode, String precision, int shallowStep, int deepStep,
            int samples, Map<String, Double> metrics, HybridPredictions predictions, String evalSubset) {
        this(cut, evalSet, bnMode, precision, shallowStep, deepStep, samples, metrics, predictions, evalSubset, null);
    }

    /** A cell without its per-image predictions and evaluation subset. */
    public HybridCell(String cut, String evalSet, String bnMode, String precision, int shallowStep, int deepStep,
            int samples, Map<String, Double> metrics) {
        this(cut, evalSet, bnMode, precision, shallowStep, deepStep, samples, metrics, null, null);
    }

    public CellKey key() {
        return new CellKey(cut, evalSet, bnMode, shallowStep, deepStep);
    }

    /** The same cell without its per-image predictions. */
    public HybridCell withoutPredictions() {
        return predictions == null ? this
                : new HybridCell(cut, evalSet, bnMode, precision, shallowStep, deepStep, samples, metrics, null,
                        evalSubset, deepDonorAtChance);
    }

    /** The natural key of a cell within a run. */
    public record CellKey(String cut, String evalSet, String bnMode, int shallowStep, int deepStep) {
    }
}
