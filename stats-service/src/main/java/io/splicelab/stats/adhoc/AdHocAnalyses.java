package io.splicelab.stats.adhoc;

import static io.splicelab.stats.adhoc.AnalysisLimits.MAX_DENSE_DIM;
import static io.splicelab.stats.adhoc.AnalysisLimits.MAX_DRAWS;
import static io.splicelab.stats.adhoc.AnalysisLimits.MAX_GRID;
import static io.splicelab.stats.adhoc.AnalysisLimits.MAX_KDE_ROWS;
import static io.splicelab.stats.adhoc.AnalysisLimits.MAX_KS_SAMPLES;
import static io.splicelab.stats.adhoc.AnalysisLimits.MAX_PAIRWISE_ROWS;

import io.splicelab.stats.analysis.Bandwidth;
import io.splicelab.stats.analysis.ClassOverlap;
import io.splicelab.stats.analysis.CloudDistance;
import io.splicelab.stats.analysis.DensityGrid;
import io.splicelab.stats.analysis.GaussianKde;
import io.splicelab.stats.analysis.IsotropicNull;
import io.splicelab.stats.analysis.KdeBandwidthCv;
import io.splicelab.stats.analysis.KolmogorovSmirnov;
import io.splicelab.stats.analysis.Mmd;
import io.splicelab.stats.analysis.NoiseAnalyzer;
import io.splicelab.stats.analysis.NoiseAnisotropy;
import io.splicelab.stats.analysis.NoiseProducts;
import io.splicelab.stats.analysis.PrincipalComponents;
import io.splicelab.stats.analysis.Spectrum;
import io.splicelab.stats.analysis.Sphericity;
import io.splicelab.stats.analysis.SubspaceAlignment;
import io.splicelab.stats.analysis.TailIndex;
import io.splicelab.stats.analysis.TotalVariation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every analysis of the service, callable on data a user sends (issue 5, part 4): a name, what it needs,
 * and a function from the validated body to a JSON-ready answer that echoes the parameters used. Pure:
 * no HTTP here, so the catalogue is unit-testable and the resource stays a thin adapter. Inputs the
 * analyses themselves reject (a singular covariance, too few samples) come back as
 * {@link BadAnalysisRequestException}s with the analysis's own message.
 */
public final class AdHocAnalyses {

    /** One entry of the catalogue, as {@code GET /api/analyses} lists it. */
    public record Descriptor(String name, String description, List<String> inputs, Map<String, String> parameters) {
    }

    private record Entry(Descriptor descriptor, Function<RequestBody, Map<String, Object>> run) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public AdHocAnalyses() {
        add("kde", "Gaussian KDE with scipy.stats.gaussian_kde semantics; density at the given points and, in 1-D "
                + "or 2-D, on a grid", List.of("samples (n x d)", "x (optional: evaluation points, m x d)"),
                Map.of("bandwidth", "scott | silverman | factor (default scott)", "gridSize",
                        "points per grid axis, 2.." + MAX_GRID + " (default 64; 0 = no grid)"), this::kde);
        add("kde-bandwidth-cv", "Likelihood cross-validated KDE bandwidth factor", List.of("samples (n x d)"),
                Map.of(), b -> {
                    double[][] s = rows(b, "samples", 3, MAX_KDE_ROWS);
                    KdeBandwidthCv.Result r = KdeBandwidthCv.select(s, null);
                    return map("factor", r.factor(), "logLikelihood", r.logLikelihood());
                });
        add("total-variation", "TV distance between the KDEs of two 1-D or 2-D samples on a common grid",
                List.of("x (n x d, d <= 2)", "y (m x d)"), Map.of("bandwidth", "default scott", "gridSize",
                        "default 64"), b -> {
                    Bandwidth bw = bandwidth(b);
                    int grid = b.intParam("gridSize", 64, 2, MAX_GRID);
                    double[][] x = rows(b, "x", 3, MAX_KDE_ROWS);
                    double[][] y = rows(b, "y", 3, MAX_KDE_ROWS);
                    sameWidth(x, y, 2);
                    TotalVariation.Result r = TotalVariation.between(new GaussianKde(x, bw), new GaussianKde(y, bw),
                            grid);
                    return map("tv", r.tv(), "gridSize", grid, "bandwidth", bw.label());
                });
        add("mmd", "Unbiased MMD^2, Gaussian kernel with the median heuristic, permutation p-value",
                List.of("x (n x d)", "y (m x d)"), Map.of("permutations", "1.." + MAX_DRAWS + " (default 200)", "seed",
                        "default 0"), b -> {
                    int perms = b.intParam("permutations", 200, 1, MAX_DRAWS);
                    long seed = b.longParam("seed", 0);
                    double[][] x = rows(b, "x", 2, MAX_PAIRWISE_ROWS);
                    double[][] y = rows(b, "y", 2, MAX_PAIRWISE_ROWS);
                    pooled(x, y);
                    sameWidth(x, y, Integer.MAX_VALUE);
                    Mmd.Test t = new Mmd(x, y).permutationTest(perms, seed);
                    return map("mmd2", t.mmd2(), "bandwidth", t.bandwidth(), "pValue", t.pValue(), "permutations",
                            perms, "seed", seed);
                });
        add("ks", "Two-sample Kolmogorov-Smirnov test with scipy.stats.ks_2samp's definitions",
                List.of("x (flat)", "y (flat)"), Map.of(), b -> {
                    double[] x = b.vector("x");
                    double[] y = b.vector("y");
                    if (x.length > MAX_KS_SAMPLES || y.length > MAX_KS_SAMPLES) {
                        throw new BadAnalysisRequestException("x", "at most " + MAX_KS_SAMPLES + " values per sample");
                    }
                    KolmogorovSmirnov.TwoSample r = KolmogorovSmirnov.twoSample(x, y);
                    return map("statistic", r.statistic(), "pValue", r.pValue(), "location", r.location(), "sign",
                            r.sign(), "pExact", r.pExactGe(), "pAsymptotic", r.pAsymp());
                });
        add("pca", "Top-k principal components (sign-fixed)", List.of("samples (n x p, p <= " + MAX_DENSE_DIM + ")"),
                Map.of("k", "default 2"), b -> {
                    double[][] s = rows(b, "samples", 2, Integer.MAX_VALUE);
                    dense("samples", s[0].length);
                    int k = b.intParam("k", Math.min(2, s[0].length), 1, s[0].length);
                    PrincipalComponents pc = PrincipalComponents.fit(s, k);
                    return map("k", k, "eigenvalues", pc.eigenvalues(), "explainedVarianceRatio",
                            pc.explainedVarianceRatio(), "totalVariance", pc.totalVariance(), "mean", pc.mean(),
                            "components", pc.components());
                });
        add("class-overlap", "Class densities on the top 2 principal components, pairwise TV distances",
                List.of("samples (n x C)", "labels (n integers)"), Map.of("bandwidth", "default scott", "gridSize",
                        "default 64", "minClassSize", "default 3"), b -> {
                    double[][] s = rows(b, "samples", 3, MAX_PAIRWISE_ROWS);
                    dense("samples", s[0].length);
                    int[] labels = b.labels();
                    ClassOverlap co = new ClassOverlap(bandwidth(b), b.intParam("gridSize", 64, 2, MAX_GRID),
                            b.intParam("minClassSize", 3, 3, 1_000_000));
                    ClassOverlap.Result r = co.compute(s, labels);
                    return map("meanTv", r.meanTv(), "minTv", r.minTv(), "maxTv", r.maxTv(), "pairs", r.pairs(),
                            "classSizes", r.classSizes(), "skippedClasses", r.skippedClasses(), "explainedVariance",
                            r.explainedVariance(), "parameters", co.parameters());
                });
        add("spectrum", "Covariance spectrum (Gram matrix when p > n): top-k explained variance, participation "
                + "ratio, entropy effective rank, directions carrying a variance fraction",
                List.of("samples (n x p)"), Map.of("varianceThreshold", "default 0.9"), b -> {
                    double[][] s = rows(b, "samples", 2, Integer.MAX_VALUE);
                    dense("samples", Math.min(s.length, s[0].length));
                    Spectrum sp = Spectrum.of(s);
                    double thr = b.doubleParam("varianceThreshold", 0.9, 0, 1);
                    return map("n", sp.n(), "p", sp.p(), "rank", sp.rank(), "eigenvalues", sp.eigenvalues(),
                            "topKExplained", sp.topKExplained(), "participationRatio", sp.participationRatio(),
                            "effectiveRankEntropy", sp.effectiveRankEntropy(), "directionsForThreshold",
                            NoiseAnisotropy.directionsFor(sp, thr), "varianceThreshold", thr);
                });
        add("sphericity", "Tests of covariance = sigma^2 I: Ledoit-Wolf John-type and Srivastava (any p), "
                + "Mauchly (when n > p)", List.of("samples (n x p, 4 <= n <= " + MAX_DENSE_DIM + ")"), Map.of(), b -> {
                    double[][] s = rows(b, "samples", 4, MAX_DENSE_DIM);
                    Sphericity.HighDimensional h = Sphericity.highDimensional(s);
                    Map<String, Object> out = map("n", h.n(), "p", h.p(), "ledoitWolf", h.ledoitWolf(), "srivastava",
                            h.srivastava());
                    if (s.length > s[0].length) {
                        out.put("mauchly", Sphericity.mauchly(s));
                    }
                    return out;
                });
        add("isotropic-null", "Monte Carlo isotropic null of the top-k explained variance", List.of("samples (n x p)"),
                Map.of("k", "default 1", "draws", "default 500", "seed", "default 1"), b -> {
                    double[][] s = rows(b, "samples", 2, Integer.MAX_VALUE);
                    dense("samples", Math.min(s.length, s[0].length));
                    IsotropicNull.Result r = IsotropicNull.test(Spectrum.of(s), b.intParam("k", 1, 1, MAX_DENSE_DIM),
                            b.intParam("draws", 500, 1, MAX_DRAWS), b.longParam("seed", 1));
                    return map("result", r);
                });
        add("subspace-alignment", "Fraction of noise energy in the top-k directions of the updates vs a random "
                + "subspace, Monte Carlo p-value", List.of("samples (noise, m x p)", "updates (T x p)"),
                Map.of("k", "default 1", "draws", "default 500", "seed", "default 2"), b -> {
                    double[][] s = rows(b, "samples", 1, MAX_DENSE_DIM);
                    double[][] u = rows(b, "updates", 1, MAX_DENSE_DIM);
                    return map("result", SubspaceAlignment.test(s, u, b.intParam("k", 1, 1, MAX_DENSE_DIM),
                            b.intParam("draws", 500, 1, MAX_DRAWS), b.longParam("seed", 2)));
                });
        add("tail-index", "Heavy-tail index alpha (Mohammadi et al. 2014): scalars or row vectors (norms)",
                List.of("samples (flat or n x d)"), Map.of("k1", "block length, default floor(sqrt(n))"), b -> {
                    double[][] s = rows(b, "samples", 4, Integer.MAX_VALUE);
                    int k1 = b.intParam("k1", (int) Math.floor(Math.sqrt(s.length)), 2, s.length);
                    TailIndex.Result r = TailIndex.estimateRows(s, k1);
                    return map("alpha", r.alpha(), "k1", r.k1(), "k2", r.k2(), "used", r.used());
                });
        add("noise-anisotropy", "The streaming noise analysis on a matrix you send: spectrum, isotropy tests, "
                + "Monte Carlo null with per-rank quantiles, alignment with the updates (if sent), tail index",
                List.of("samples (noise, m x p, m >= 4)", "updates (optional, T x p)"),
                Map.of("topK", "default [1,2,5,10]", "nullDraws", "default 500", "nullSeed", "default 1",
                        "varianceThreshold", "default 0.9", "alignmentK", "default 2", "alignmentDraws", "default 500",
                        "alignmentSeed", "default 2", "alpha", "default 0.05"), this::noise);
        add("probe-distance", "Distance between two feature clouds: TV of the 2-D PCA KDEs and MMD^2 with "
                + "permutation p-value", List.of("x (n x d, d >= 2)", "y (m x d)"),
                Map.of("bandwidth", "default scott", "gridSize", "default 64", "permutations", "default 200", "seed",
                        "default 3"), b -> {
                    double[][] x = rows(b, "x", 3, MAX_PAIRWISE_ROWS);
                    double[][] y = rows(b, "y", 3, MAX_PAIRWISE_ROWS);
                    pooled(x, y);
                    sameWidth(x, y, MAX_DENSE_DIM);
                    CloudDistance cd = new CloudDistance(bandwidth(b), b.intParam("gridSize", 64, 2, MAX_GRID),
                            b.intParam("permutations", 200, 1, MAX_DRAWS), b.longParam("seed", 3), MAX_PAIRWISE_ROWS);
                    CloudDistance.Result r = cd.compute(x, y);
                    return map("tv", r.tv(), "mmd2", r.mmd().mmd2(), "mmdPValue", r.mmd().pValue(), "mmdBandwidth",
                            r.mmd().bandwidth(), "explainedVariance", r.explainedVariance(), "parameters",
                            cd.parameters());
                });
    }

    private void add(String name, String description, List<String> inputs, Map<String, String> parameters,
            Function<RequestBody, Map<String, Object>> run) {
        entries.put(name, new Entry(new Descriptor(name, description, inputs, new java.util.TreeMap<>(parameters)),
                run));
    }

    /** The catalogue, in a stable order. */
    public List<Descriptor> list() {
        return entries.values().stream().map(Entry::descriptor).toList();
    }

    /** Whether the name is an analysis. */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /**
     * Runs an analysis on a validated body.
     *
     * @throws BadAnalysisRequestException when the body is unusable for this analysis
     * @throws IllegalArgumentException for an unknown name (check {@link #has} first)
     */
    public Map<String, Object> run(String name, RequestBody body) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown analysis " + name);
        }
        body.onlyParameters(e.descriptor().parameters().keySet());
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("analysis", name);
            out.putAll(e.run().apply(body));
            return out;
        } catch (org.apache.commons.math3.exception.MathIllegalArgumentException ex) {
            throw new BadAnalysisRequestException(null, ex.getMessage());
        } catch (BadAnalysisRequestException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            throw new BadAnalysisRequestException(null, ex.getMessage());
        }
    }

    private Map<String, Object> kde(RequestBody b) {
        Bandwidth bw = bandwidth(b);
        double[][] s = rows(b, "samples", 2, MAX_KDE_ROWS);
        int grid = b.intParam("gridSize", 64, 0, MAX_GRID);
        GaussianKde kde = new GaussianKde(s, bw);
        Map<String, Object> out = map("n", kde.n(), "d", kde.d(), "bandwidth", bw.label(), "factor", kde.factor(),
                "neff", kde.neff(), "covariance", kde.covariance());
        if (b.has("x")) {
            double[][] x = rows(b, "x", 1, MAX_KDE_ROWS);
            sameWidth(s, x, Integer.MAX_VALUE);
            out.put("density", kde.pdf(x));
        }
        if (grid >= 2 && kde.d() <= 2) {
            DensityGrid g = DensityGrid.covering(List.of(kde), grid, DensityGrid.DEFAULT_PADDING);
            out.put("grid", map("axes", g.axes(), "order", "x-major: index k*size+l is (x_k, y_l)", "density",
                    g.evaluate(kde)));
        }
        return out;
    }

    private Map<String, Object> noise(RequestBody b) {
        double[][] s = rows(b, "samples", 4, MAX_DENSE_DIM);
        double[][] u = b.has("updates") ? b.matrix("updates") : new double[0][];
        NoiseAnisotropy na = new NoiseAnisotropy(b.intsParam("topK", Spectrum.DEFAULT_KS, 1, MAX_DENSE_DIM),
                b.intParam("nullDraws", 500, 1, MAX_DRAWS), b.longParam("nullSeed", 1),
                b.doubleParam("varianceThreshold", 0.9, 0, 1), b.intParam("alignmentK", 2, 1, MAX_DENSE_DIM),
                b.intParam("alignmentDraws", 500, 1, MAX_DRAWS), b.longParam("alignmentSeed", 2),
                b.doubleParam("alpha", 0.05, 0, 0.999999));
        NoiseAnisotropy.Result r = na.analyze(NoiseProducts.of(s, u));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("anisotropy", NoiseAnalyzer.anisotropyValues(r));
        out.put("spectrum", NoiseAnalyzer.spectrumValues(r));
        out.put("alignment", r.alignment() == null ? null
                : NoiseAnalyzer.alignmentValues(r.alignment(), r.alignmentKUsed(), List.of()));
        out.put("tailIndex", NoiseAnalyzer.tailValues(r.tailIndex()));
        out.put("parameters", na.parameters());
        return out;
    }

    private static Bandwidth bandwidth(RequestBody b) {
        try {
            return Bandwidth.parse(b.textParam("bandwidth", "scott"));
        } catch (IllegalArgumentException e) {
            throw new BadAnalysisRequestException("parameters.bandwidth", e.getMessage());
        }
    }

    private static double[][] rows(RequestBody b, String field, int min, int max) {
        double[][] m = b.matrix(field);
        if (m.length < min) {
            throw new BadAnalysisRequestException(field, "too few samples: " + m.length + ", this analysis needs at least "
                    + min);
        }
        if (m.length > max) {
            throw new BadAnalysisRequestException(field, m.length + " rows is over the documented limit of " + max);
        }
        return m;
    }

    private static void dense(String field, int size) {
        if (size > MAX_DENSE_DIM) {
            throw new BadAnalysisRequestException(field, "the eigenproblem would be " + size + " x " + size
                    + ", over the documented limit of " + MAX_DENSE_DIM);
        }
    }

    private static void pooled(double[][] x, double[][] y) {
        if (x.length + y.length > MAX_PAIRWISE_ROWS) {
            throw new BadAnalysisRequestException("x", "x and y have " + (x.length + y.length)
                    + " rows together, over the documented limit of " + MAX_PAIRWISE_ROWS);
        }
    }

    private static void sameWidth(double[][] x, double[][] y, int maxWidth) {
        if (x[0].length != y[0].length) {
            throw new BadAnalysisRequestException("y", "has " + y[0].length + " columns, x has " + x[0].length);
        }
        if (x[0].length > maxWidth) {
            throw new BadAnalysisRequestException("x", x[0].length + " columns is over the limit of " + maxWidth
                    + " for this analysis");
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The names, for documentation. */
    public Set<String> names() {
        return entries.keySet();
    }

    static String join(int[] a) {
        return Arrays.toString(a);
    }
}
