package io.splicelab.splicer.splicing;

import java.util.Map;

/**
 * One evaluated hybrid {@code H_cut(shallowStep -> deepStep)}: shallow part from one checkpoint, deep
 * part from another, scored on an evaluation set. The diagonal (same step twice) is the plain
 * checkpoint.
 */
public record HybridCell(String cut, String evalSet, int shallowStep, int deepStep, int samples,
        Map<String, Double> metrics) {
}
