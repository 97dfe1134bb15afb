package io.splicelab.splicer.splicing;

import java.util.Map;

/**
 * One evaluated hybrid {@code H_cut(shallowStep -> deepStep)}: shallow part from one checkpoint, deep
 * part from another, scored on an evaluation set with a BatchNorm mode, computed at a precision. The
 * diagonal (same step twice) in mode {@code carry} is the plain checkpoint.
 */
public record HybridCell(String cut, String evalSet, String bnMode, String precision, int shallowStep,
        int deepStep, int samples, Map<String, Double> metrics) {

    public CellKey key() {
        return new CellKey(cut, evalSet, bnMode, shallowStep, deepStep);
    }

    /** The natural key of a cell within a run. */
    public record CellKey(String cut, String evalSet, String bnMode, int shallowStep, int deepStep) {
    }
}
