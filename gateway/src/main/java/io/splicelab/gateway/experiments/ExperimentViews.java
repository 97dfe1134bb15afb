package io.splicelab.gateway.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the experiment endpoints. */
public final class ExperimentViews {
    private ExperimentViews() {
    }

    /**
     * A request for an experiment: every variant x seed is a run.
     *
     * @param name unique among experiments, e.g. {@code claims fashion-mnist}
     * @param base the configuration shared by every run (defaults fill what it leaves out; no {@code seed})
     * @param variants by name, each a JSON merge patch (RFC 7386) of the base, e.g.
     *     {@code {"baseline": {}, "random-labels": {"labelNoise": 1}, "frozen": {"freezeCut": "stage1", "freezeStep": 30}}}
     * @param seeds one run per variant and seed, e.g. {@code [1, 2, 3]}
     */
    public record ExperimentRequest(String name, JsonNode base, Map<String, JsonNode> variants, List<Long> seeds) {
    }

    /** The answer to an experiment request: every run was accepted. */
    public record ExperimentAccepted(String experimentId, String name, List<RunRef> runs) {
    }

    /** A run of an experiment: its variant and seed. */
    public record RunRef(String runId, String variant, long seed) {
    }

    /**
     * An experiment in the list.
     *
     * @param kind {@code experiment}, or {@code claims} for the paper's claims experiment
     * @param settled runs that are over: finished, and when completed, with their hybrid grid done
     */
    public record ExperimentSummary(String experimentId, String name, String kind, List<String> variants,
            List<Long> seeds, int runs, int settled, Instant createdAt) {
    }

    /**
     * An experiment with its runs and their figures compared per variant.
     *
     * @param status {@code running} while a run is not settled, then {@code finished}
     * @param variants in the order of the request
     */
    public record ExperimentDetail(String experimentId, String name, String kind, String status, JsonNode base,
            List<Long> seeds, int runs, int settled, List<VariantView> variants, Instant createdAt) {
    }

    /**
     * One variant over its seeds: mean, standard deviation and standard error of each figure (null until a seed has
     * it).
     *
     * @param patch the variant's merge patch of the base
     * @param testAccuracy final accuracy on the test subset (the latest checkpoint's diagonal cell)
     * @param corruptedAccuracy final accuracy averaged over the corrupted evaluation sets
     * @param accuracy final accuracy by evaluation set
     * @param tc temporal consistency without the initial checkpoint, by cut then evaluation set
     * @param tcWithInitial temporal consistency over the whole forward triangle (the splicer's {@code tcScore}), by cut
     *     then evaluation set
     * @param anisotropy the SGD-noise anisotropy of the seeds that sampled noise, null when none did
     */
    public record VariantView(String name, JsonNode patch, List<RunView> runs, Stat testAccuracy,
            Stat corruptedAccuracy, Map<String, Stat> accuracy, Map<String, Map<String, Stat>> tc,
            Map<String, Map<String, Stat>> tcWithInitial, AnisotropyView anisotropy) {
    }

    /** One run of a variant: its seed, state and final accuracies. */
    public record RunView(String runId, long seed, String status, String gridStatus, Integer step, Integer totalSteps,
            boolean settled, Double testAccuracy, Double corruptedAccuracy) {
    }

    /**
     * The SGD-noise anisotropy of a variant (stats-service {@code noise-anisotropy}, each seed's latest sample).
     *
     * @param seeds seeds with a result
     * @param ledoitWolfZ the Ledoit-Wolf John-type statistic (standard normal under isotropy)
     * @param ledoitWolfP each seed's p-value, in seed order
     * @param k the k of the top-k variance share
     * @param topKShare the share of the noise variance in the top k directions
     * @param nullTopKShare that share under the isotropic null (its Monte Carlo mean)
     * @param monteCarloP each seed's Monte Carlo p-value of the top-k share
     */
    public record AnisotropyView(int seeds, Stat ledoitWolfZ, List<Double> ledoitWolfP, int k, Stat topKShare,
            Stat nullTopKShare, List<Double> monteCarloP) {
    }

    /** The answer to a cancel request: the cancel commands of the unfinished runs are in Kafka. */
    public record ExperimentCancelled(String experimentId, List<String> cancelled) {
    }

    /**
     * An experiment's curves over training steps, per variant ({@link ExperimentCurves}).
     *
     * @param metrics the metrics every variant has a curve of, in this order: {@code testAccuracy} and
     *     {@code corruptedAccuracy} per checkpoint (diagonal hybrid cells), {@code loss} and {@code trainBatchAccuracy}
     *     per progress point
     * @param variants in the order of the request
     */
    public record ExperimentCurvesView(String experimentId, String name, List<String> metrics,
            List<VariantCurves> variants) {
    }

    /**
     * One variant's curves.
     *
     * @param runs the variant's runs (seeds) in the read model
     * @param curves by metric, one point per step in step order
     */
    public record VariantCurves(String name, int runs, Map<String, List<CurvePoint>> curves) {
    }

    /**
     * A metric at a step over the seeds that have it: how many, the mean, the sample standard deviation and the
     * standard error (both null with one seed).
     */
    public record CurvePoint(int step, int n, double mean, Double sd, Double se) {
    }
}
