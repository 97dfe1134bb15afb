package io.splicelab.stats.analysis;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.features.NoiseMatrix;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.stats.analysis.NoiseAnisotropy;
import io.splicelab.stats.analysis.NoiseProducts;
import io.splicelab.stats.analysis.Spectrum;
import io.splicelab.stats.analysis.SubspaceAlignment;
import io.splicelab.stats.analysis.TailIndex;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one {@code NoiseSampled} event into its stats results: reads the noise matrix and the update
 * artifacts of the last W checkpoints (each verified against its sha256), runs {@link NoiseAnisotropy}
 * and shapes the results. Knows nothing of Kafka or the database: the caller passes the earlier updates.
 * <ul>
 * <li>{@code noise-anisotropy} ({@code scalar}): spectrum summaries, Ledoit-Wolf and Srivastava tests,
 * Monte Carlo null per k, directions carrying the variance threshold, "isotropy rejected";</li>
 * <li>{@code noise-spectrum} ({@code series}): the normalised eigenvalues by rank with the null's
 * quantiles, to plot spectrum against null;</li>
 * <li>{@code noise-alignment} ({@code scalar}): noise energy in the trajectory's top-k directions vs a
 * random subspace (only when at least one update exists);</li>
 * <li>{@code noise-tail-index} ({@code scalar}).</li>
 * </ul>
 * Series values have the contract's form ({@code StatsResults.series}, docs/events):
 * {@code {"xKey": "rank", "x": [...], "y": {name: [...]}}}, beside supporting detail.
 */
public class NoiseAnalyzer {
    public static final String ANISOTROPY = "noise-anisotropy";
    public static final String SPECTRUM = "noise-spectrum";
    public static final String ALIGNMENT = "noise-alignment";
    public static final String TAIL_INDEX = "noise-tail-index";
    public static final String SHAPE_SERIES = "series";
    /** Noise results have no cut and no probe set. */
    public static final String NONE = "";

    private final ArtifactStore artifacts;
    private final NoiseAnisotropy anisotropy;
    private final int window;

    public NoiseAnalyzer(ArtifactStore artifacts, NoiseAnisotropy anisotropy, int window) {
        this.window = Checks.atLeast(window, 1, "alignment window");
        this.artifacts = artifacts;
        this.anisotropy = anisotropy;
    }

    /** W: how many checkpoints' updates the alignment uses (the current one included). */
    public int window() {
        return window;
    }

    /**
     * @param earlierUpdates the update artifacts of earlier checkpoints of the run, newest first (the
     *        first {@code W - 1} with the current update, or W without, are used)
     * @throws UnprocessableRecordException when an artifact is missing, corrupt or of the wrong shape
     */
    public List<StatsComputed> analyze(NoiseSampled event, List<Map.Entry<Integer, ArtifactRef>> earlierUpdates) {
        if (event.runId() == null || event.runId().isBlank()) {
            throw new UnprocessableRecordException("runId is missing");
        }
        if (event.noise() == null) {
            throw new UnprocessableRecordException("noise artifact reference is missing");
        }
        NoiseMatrix noise = load(event.noise(), "noise");
        if (event.minibatches() > 0 && event.minibatches() != noise.rows()) {
            throw new UnprocessableRecordException("event says " + event.minibatches() + " minibatches, artifact has "
                    + noise.rows() + " rows");
        }
        List<Integer> updateSteps = new ArrayList<>();
        List<float[]> updates = new ArrayList<>();
        if (event.update() != null) {
            updates.add(vector(load(event.update(), "update"), noise.cols(), "update of step " + event.step()));
            updateSteps.add(event.step());
        }
        for (Map.Entry<Integer, ArtifactRef> e : earlierUpdates) {
            if (updates.size() >= window) {
                break;
            }
            updates.add(vector(load(e.getValue(), "update of step " + e.getKey()), noise.cols(),
                    "update of step " + e.getKey()));
            updateSteps.add(e.getKey());
        }
        NoiseAnisotropy.Result r;
        try {
            r = anisotropy.analyze(NoiseProducts.of(noise.values(), noise.rows(), noise.cols(), updates));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableRecordException("noise of step " + event.step() + ": " + e.getMessage(), e);
        }
        Map<String, Object> params = new LinkedHashMap<>(anisotropy.parameters());
        params.put("alignmentWindow", window);
        params.put("minibatches", noise.rows());
        params.put("batchSize", event.batchSize());
        params.put("parameters", event.parameters());
        params.put("projectedDim", event.projectedDim());
        params.put("projectionSeed", event.projectionSeed());
        List<Integer> steps = List.of(event.step());
        List<StatsComputed> out = new ArrayList<>();
        out.add(result(event, ANISOTROPY, SnapshotAnalyzer.SHAPE_SCALAR, params, anisotropyValues(r)));
        out.add(result(event, SPECTRUM, SHAPE_SERIES, params, spectrumValues(r)));
        if (r.alignment() != null) {
            out.add(result(event, ALIGNMENT, SnapshotAnalyzer.SHAPE_SCALAR, params,
                    alignmentValues(r.alignment(), r.alignmentKUsed(), updateSteps)));
        }
        out.add(result(event, TAIL_INDEX, SnapshotAnalyzer.SHAPE_SCALAR, params, tailValues(r.tailIndex())));
        return out;
    }

    private static StatsComputed result(NoiseSampled e, String analysis, String shape, Map<String, Object> params,
            Map<String, Object> values) {
        return new StatsComputed(e.runId(), analysis, NONE, NONE, List.of(e.step()), shape, params, values);
    }

    private NoiseMatrix load(ArtifactRef ref, String what) {
        byte[] bytes;
        try {
            bytes = artifacts.get(ref);
        } catch (ArtifactIntegrityException | IllegalArgumentException | UncheckedIOException e) {
            throw new UnprocessableRecordException(what + " artifact unreadable: " + e.getMessage(), e);
        }
        try {
            return NoiseMatrix.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new UnprocessableRecordException(what + " artifact is not a noise matrix: " + e.getMessage(), e);
        }
    }

    private static float[] vector(NoiseMatrix m, long cols, String what) {
        if (m.rows() != 1 || m.cols() != cols) {
            throw new UnprocessableRecordException(what + " is " + m.rows() + " x " + m.cols() + ", expected 1 x "
                    + cols);
        }
        return m.values();
    }

    /** The scalar summary of the anisotropy analysis (also the ad-hoc API's answer). */
    public static Map<String, Object> anisotropyValues(NoiseAnisotropy.Result r) {
        Spectrum s = r.spectrum();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("m", r.m());
        v.put("p", r.p());
        v.put("rank", s.rank());
        v.put("trace", s.total());
        Map<String, Object> topK = new LinkedHashMap<>();
        for (NoiseAnisotropy.TopKNull k : r.mcNull().topK()) {
            topK.put(Integer.toString(k.k()), k.observed());
        }
        v.put("topKExplained", topK);
        v.put("participationRatio", s.participationRatio());
        v.put("effectiveRankEntropy", s.effectiveRankEntropy());
        v.put("directionsForThreshold", r.directionsForThreshold());
        v.put("nullDirectionsForThreshold", quantileMap(r.mcNull().directionsQuantiles()));
        var lw = r.tests().ledoitWolf();
        v.put("ledoitWolf", Map.of("u", lw.u(), "z", lw.z(), "pValue", lw.pValue(), "logPValue", lw.logPValue(),
                "effectSize", lw.u()));
        var sv = r.tests().srivastava();
        v.put("srivastava", Map.of("a2", sv.a2(), "t", sv.t(), "pValue", sv.pValue(), "logPValue", sv.logPValue(),
                "effectSize", sv.effect()));
        List<Map<String, Object>> mc = new ArrayList<>();
        for (NoiseAnisotropy.TopKNull k : r.mcNull().topK()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k", k.k());
            m.put("observed", k.observed());
            m.put("nullMean", k.nullMean());
            m.put("nullSd", k.nullSd());
            m.put("nullQuantiles", quantileMap(k.nullQuantiles()));
            m.put("pValue", k.pValue());
            m.put("effectSize", k.effectSize());
            mc.add(m);
        }
        v.put("monteCarloNull", mc);
        v.put("isotropyRejected", r.isotropyRejected());
        return v;
    }

    /** The spectrum against its null, by rank (also the ad-hoc API's answer). */
    public static Map<String, Object> spectrumValues(NoiseAnisotropy.Result r) {
        double[] l = r.spectrum().eigenvalues();
        double total = r.spectrum().total();
        List<Integer> x = new ArrayList<>();
        List<Double> eig = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        Map<String, List<Double>> nullQ = new LinkedHashMap<>();
        for (double q : NoiseAnisotropy.QUANTILES) {
            nullQ.put(quantileName(q), new ArrayList<>());
        }
        double[][] rq = r.mcNull().rankQuantiles();
        for (int i = 0; i < l.length; i++) {
            x.add(i + 1);
            eig.add(l[i]);
            ratio.add(l[i] / total);
            for (int q = 0; q < NoiseAnisotropy.QUANTILES.length; q++) {
                nullQ.get(quantileName(NoiseAnisotropy.QUANTILES[q])).add(rq[i][q]);
            }
        }
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("explainedRatio", ratio);
        nullQ.forEach((name, values) -> lines.put("null" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                values));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("xKey", "rank");
        v.put("x", x);
        v.put("y", lines);
        v.put("eigenvalues", eig);
        v.put("nullDraws", r.mcNull().draws());
        return v;
    }

    /** Alignment values, with the checkpoints whose updates defined the trajectory. */
    public static Map<String, Object> alignmentValues(SubspaceAlignment.Result a, int kUsed, List<Integer> steps) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("k", kUsed);
        v.put("p", a.p());
        v.put("fraction", a.fraction());
        v.put("randomExpectation", a.randomExpectation());
        v.put("nullMean", a.nullMean());
        v.put("enrichment", a.enrichment());
        v.put("pValue", a.pValue());
        v.put("draws", a.draws());
        v.put("seed", a.seed());
        v.put("updateSteps", steps);
        return v;
    }

    public static Map<String, Object> tailValues(TailIndex.Result t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("alpha", t.alpha());
        v.put("k1", t.k1());
        v.put("k2", t.k2());
        v.put("used", t.used());
        v.put("gaussian", 2.0);
        return v;
    }

    private static Map<String, Object> quantileMap(double[] q) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < q.length; i++) {
            m.put(quantileName(NoiseAnisotropy.QUANTILES[i]), q[i]);
        }
        return m;
    }

    private static String quantileName(double q) {
        return "q" + String.format(java.util.Locale.ROOT, "%02d", Math.round(q * 100));
    }
}
