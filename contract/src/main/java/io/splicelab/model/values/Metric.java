package io.splicelab.model.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a hybrid cell (docs/science.md section 2), the keys of its {@code metrics} map. Written once here
 * so that the splicer that computes them, the stats service and the command line that read them, and plug-ins agree
 * on the names. A cell may lack some (no relative accuracy when the deep donor has none, no parameter distance for
 * imported checkpoints); a reader asks for one with {@link #in(Map)}.
 */
public enum Metric implements WireName {
    /** Fraction of the evaluation set the hybrid classifies correctly. */
    ACCURACY("accuracy"),
    /** Fraction of inputs where the hybrid predicts what the deep donor predicts. */
    AGREEMENT_DEEP("agreementDeep"),
    /** Fraction of inputs where the hybrid predicts what the shallow donor predicts. */
    AGREEMENT_SHALLOW("agreementShallow"),
    /** Mean cross-entropy of the hybrid against the labels. */
    CROSS_ENTROPY("crossEntropy"),
    /** Mean KL(f(theta_b) || H): the deep donor's predictive distribution against the hybrid's. */
    KL_DEEP("klDeep"),
    /** The hybrid's accuracy over the deep donor's own. */
    RELATIVE_ACCURACY("relativeAccuracy"),
    /** ||theta_a - theta_b|| / ||theta_b|| over the trainable parameters of the shallow parts. */
    RELATIVE_PARAM_DISTANCE("relativeParamDistance"),
    /** ||z_a - z_b|| / ||z_b|| of the activations at the cut over the evaluation set. */
    RELATIVE_FEATURE_DISTANCE("relativeFeatureDistance");

    private final String wire;

    Metric(String wire) {
        this.wire = wire;
    }

    /** The key in a cell's {@code metrics} map, as it always was. */
    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    /** This metric's value in a cell's metrics map; null when the map (or the metric) is absent. */
    public Double in(Map<String, Double> metrics) {
        return metrics == null ? null : metrics.get(wire);
    }

    /**
     * The metric of a wire name.
     *
     * @throws IllegalArgumentException naming the value and the known metrics
     */
    @JsonCreator
    public static Metric parse(String name) {
        return WireName.parse(Metric.class, "metric", name);
    }

    /** The wire names, in declaration order. */
    public static List<String> wireNames() {
        return WireName.wireNames(Metric.class);
    }
}
