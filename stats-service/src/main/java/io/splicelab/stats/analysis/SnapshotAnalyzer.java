package io.splicelab.stats.analysis;

import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.stats.analysis.ClassOverlap;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one feature snapshot into stats results: reads the artifact (verified against its sha256),
 * decodes it and runs the class-overlap analysis for every cut. Knows nothing of Kafka or the database;
 * all cuts succeed or the whole snapshot is rejected, so a snapshot is never half-analysed.
 */
@ApplicationScoped
public class SnapshotAnalyzer {
    public static final String SHAPE_SCALAR = "scalar";
    /**
     * Points per axis of the class densities shipped with a result for plotting (every k-th grid point):
     * the full grid stays in the service, an event stays small (10 classes: about 60 KB).
     */
    public static final int DENSITY_PREVIEW_POINTS = 32;

    private final ArtifactStore artifacts;
    private final ClassOverlap classOverlap;

    public SnapshotAnalyzer(ArtifactStore artifacts, ClassOverlap classOverlap) {
        this.artifacts = artifacts;
        this.classOverlap = classOverlap;
    }

    /**
     * @return one class-overlap result per cut, in the order of the event's cuts
     * @throws UnprocessableRecordException when the artifact is missing, corrupt or of the wrong shape
     */
    public List<StatsComputed> analyze(FeaturesSnapshotted event) {
        if (event.runId() == null || event.runId().isBlank()) {
            throw new UnprocessableRecordException("runId is missing");
        }
        if (event.features() == null) {
            throw new UnprocessableRecordException("features artifact reference is missing");
        }
        FeatureSnapshot snapshot = load(event);
        List<String> cuts = event.cuts() == null || event.cuts().isEmpty()
                ? List.copyOf(snapshot.features().keySet())
                : event.cuts();
        if (event.samples() > 0 && event.samples() != snapshot.labels().length) {
            throw new UnprocessableRecordException("event says " + event.samples() + " samples, artifact has "
                    + snapshot.labels().length);
        }
        String probeSet = event.probeSet() == null ? "" : event.probeSet();
        List<StatsComputed> results = new ArrayList<>();
        for (String cut : cuts) {
            float[][] features = snapshot.features().get(cut);
            if (features == null) {
                throw new UnprocessableRecordException("cut " + cut + " is not in the artifact");
            }
            ClassOverlap.Result r;
            try {
                r = classOverlap.compute(toDouble(features), snapshot.labels());
            } catch (IllegalArgumentException e) {
                throw new UnprocessableRecordException("cut " + cut + ": " + e.getMessage(), e);
            }
            results.add(new StatsComputed(event.runId(), ClassOverlap.NAME, cut, probeSet, List.of(event.step()),
                    SHAPE_SCALAR, classOverlap.parameters(), values(r)));
        }
        return results;
    }

    private FeatureSnapshot load(FeaturesSnapshotted event) {
        byte[] bytes;
        try {
            bytes = artifacts.get(event.features());
        } catch (ArtifactIntegrityException | IllegalArgumentException | UncheckedIOException e) {
            throw new UnprocessableRecordException("artifact unreadable: " + e.getMessage(), e);
        }
        try {
            return FeatureSnapshot.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new UnprocessableRecordException("artifact is not a feature snapshot: " + e.getMessage(), e);
        }
    }

    private static double[][] toDouble(float[][] m) {
        double[][] d = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            d[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                d[i][j] = m[i][j];
            }
        }
        return d;
    }

    /** The values of a class-overlap result as they travel in events and are stored. */
    static Map<String, Object> values(ClassOverlap.Result r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("meanTv", r.meanTv());
        v.put("minTv", r.minTv());
        v.put("maxTv", r.maxTv());
        v.put("pairCount", r.pairs().size());
        v.put("samples", r.samples());
        v.put("featureDimensions", r.dimensions());
        v.put("classes", r.classes());
        v.put("classSizes", r.classSizes());
        v.put("skippedClasses", r.skippedClasses());
        v.put("explainedVariance", List.of(r.explainedVariance()[0], r.explainedVariance()[1]));
        v.put("explainedVarianceTotal", r.explainedVariance()[0] + r.explainedVariance()[1]);
        v.put("factors", r.factors());
        v.put("gridSize", r.grid().size());
        v.put("gridLo", List.of(r.grid().lo()[0], r.grid().lo()[1]));
        v.put("gridHi", List.of(r.grid().hi()[0], r.grid().hi()[1]));
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (ClassOverlap.Pair p : r.pairs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", p.classA());
            m.put("b", p.classB());
            m.put("tv", p.tv());
            pairs.add(m);
        }
        v.put("pairs", pairs);
        putDensities(v, r);
        return v;
    }

    /**
     * The class densities for plotting: {@code densities} maps each class to rows over PC1 of values over
     * PC2, subsampled to at most {@link #DENSITY_PREVIEW_POINTS} per axis and rounded to 4 significant
     * digits; {@code densityAxes} holds the PC1 and PC2 coordinates of the rows and columns.
     */
    static void putDensities(Map<String, Object> v, ClassOverlap.Result r) {
        int size = r.grid().size();
        int stride = (size + DENSITY_PREVIEW_POINTS - 1) / DENSITY_PREVIEW_POINTS;
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < size; k += stride) {
            kept.add(k);
        }
        Map<String, Object> densities = new LinkedHashMap<>();
        for (int c = 0; c < r.classes().size(); c++) {
            double[] d = r.densities().get(c);
            List<List<Double>> rows = new ArrayList<>();
            for (int k : kept) {
                List<Double> row = new ArrayList<>();
                for (int l : kept) {
                    row.add(round4(d[k * size + l]));
                }
                rows.add(row);
            }
            densities.put(String.valueOf(r.classes().get(c)), rows);
        }
        List<List<Double>> axes = new ArrayList<>();
        for (int axis = 0; axis < 2; axis++) {
            List<Double> at = new ArrayList<>();
            for (int k : kept) {
                at.add(round4(r.grid().axes()[axis][k]));
            }
            axes.add(at);
        }
        v.put("densities", densities);
        v.put("densityAxes", axes);
    }

    private static double round4(double x) {
        return x == 0 || !Double.isFinite(x) ? x
                : new java.math.BigDecimal(x).round(new java.math.MathContext(4)).doubleValue();
    }
}
