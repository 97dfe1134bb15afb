package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.features.HybridPredictions;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import io.splicelab.model.values.BnMode;
import io.splicelab.splicer.splicing.HybridCell.CellKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The hybrid grid of one run, grown one checkpoint at a time, on several evaluation sets and in both
 * BatchNorm modes. The shallow features of every checkpoint are computed once per cut and evaluation set
 * and kept (in memory up to a budget, on disk beyond it), so a new checkpoint k costs its own forward
 * passes plus one deep pass per new cell: row k and column k (2k-1 cells per cut, evaluation set and
 * mode). A cell already stored (known to the caller) is never recomputed. Pure domain code: no
 * messaging, no storage.
 *
 * <p>Over 400 lines: the incremental algorithm and its caches (features per checkpoint, logits, parameter
 * and feature distances) are one invariant; the pieces that stand alone live beside it (FeatureCache,
 * HybridMetrics, BnRecalibration, TcSummary, EvalBatchSize).
 */
public final class RunGrid implements AutoCloseable {
    /** {@link BnMode#CARRY}'s wire name: the grid's cells and options carry the names they publish. */
    public static final String CARRY = BnMode.CARRY.wire();
    /** {@link BnMode#RECALIBRATE}'s wire name. */
    public static final String RECALIBRATE = BnMode.RECALIBRATE.wire();
    public static final String FLOAT32 = "float32";
    /** Reduced precision, on CPU and GPU. */
    public static final String FLOAT16 = "float16";
    /**
     * Refused, with the reasons measured (docs/science.md section 9): DJL 0.36's PyTorch JNI has no mapping for
     * bfloat16 and aborts the whole process ({@code std::terminate}) on the first bfloat16 tensor; ONNX Runtime's CPU
     * provider has no bfloat16 convolution; and oneDNN's bfloat16 math mode for float32 tensors
     * ({@code ONEDNN_DEFAULT_FPMATH_MODE=BF16}, on a CPU with AMX) made plain and hybrid evaluations only 1.3x faster
     * than float32, short of the 2x that would pay for the lost precision (without AMX it does nothing); bfloat16
     * tensors cast inside a TorchScript module reach oneDNN's bfloat16 kernels, but even the convolutions alone were
     * under 2x (1.75-1.97x on an AVX-512 bf16 CPU).
     */
    public static final String BFLOAT16 = "bfloat16";
    /** Feature-cache name of the training inputs used to recalibrate BatchNorm. */
    static final String RECALIBRATION_SET = "__recalibration";

    /**
     * @param cuts cut names, in any order
     * @param bnModes {@code carry} and/or {@code recalibrate}
     * @param batchSize examples per forward pass
     * @param featureBudgetBytes shallow features kept in memory; beyond it they spill to disk
     * @param spillDir where spilled features go (a temporary directory is created under it)
     * @param precision {@code float32} or {@code float16} (the whole grid at that precision; bfloat16 is
     *        refused, see {@link #BFLOAT16})
     */
    public record Options(List<String> cuts, List<String> bnModes, int batchSize, long featureBudgetBytes,
            Path spillDir, String precision) {
        public Options {
            cuts = List.copyOf(cuts);
            bnModes = List.copyOf(bnModes);
            BnMode.parseAll(bnModes);
            requirePrecision(precision);
            if (FLOAT16.equals(precision) && bnModes.contains(RECALIBRATE)) {
                throw new IllegalArgumentException("recalibrate is only supported at float32");
            }
        }

        public static Options of(List<String> cuts, int batchSize) {
            return new Options(cuts, List.of(CARRY), batchSize, Long.MAX_VALUE,
                    Path.of(System.getProperty("java.io.tmpdir")), FLOAT32);
        }
    }

    /** Checks a configured precision; the service calls it at start-up so a bad value stops it at once. */
    public static String requirePrecision(String precision) {
        if (BFLOAT16.equals(precision)) {
            throw new IllegalArgumentException("precision bfloat16 is not available: DJL 0.36's PyTorch "
                    + "engine aborts the process on bfloat16 tensors, ONNX Runtime has no bfloat16 convolution on the "
                    + "CPU, oneDNN's bfloat16 math mode was 1.3x float32 on a CPU with AMX, and bfloat16 convolutions "
                    + "alone were under 2x on an AVX-512 bf16 CPU, short of the 2x that would pay "
                    + "(docs/science.md section 9); use float32, or float16 on a GPU");
        }
        if (!FLOAT32.equals(precision) && !FLOAT16.equals(precision)) {
            throw new IllegalArgumentException("unknown precision " + precision + " (float32 or float16)");
        }
        return precision;
    }

    private final Options options;
    private final List<ImageDataset> evalSets;
    private final Map<String, String> evalSubsets;
    private final ImageDataset recalibrationSet;
    private final NDManager manager;
    private final FeatureCache cache;
    private final TreeMap<Integer, Entry> checkpoints = new TreeMap<>();
    private final Map<CellKey, Map<String, Double>> known = new HashMap<>();
    private final Map<String, Double> featureNorms = new HashMap<>();
    /**
     * Per evaluation set, the first evaluation set with the same images (itself when none): sets that
     * differ only in their labels ({@code train} and {@code train-noisy}) share shallow features and
     * hybrid logits, and only their metrics are computed apart.
     */
    private final Map<String, String> imagesOf = new HashMap<>();
    private final Map<String, ImageDataset> byName = new HashMap<>();
    private long deepFlopsImages;
    private long deepNanos;
    /** Squared feature distances computed for (a, b) and waiting for (b, a), which takes and drops them. */
    private final Map<String, Double> squaredDistances = new HashMap<>();
    private long forwardNanos;

    /** A checkpoint's network, its plain logits per evaluation set and its shallow parameters per segment. */
    private record Entry(SegmentedNet net, Map<String, float[][]> logits, Map<String, int[]> predictions,
            float[][] segmentParameters) {
    }

    /** One evaluation set, the previous constructor: mode carry, float32, no budget. */
    public RunGrid(ImageDataset evalSet, List<String> cuts, int batchSize, NDManager manager) {
        this(Options.of(cuts, batchSize), List.of(evalSet), null, manager);
    }

    /**
     * @param evalSets the evaluation sets (distinct names)
     * @param recalibrationSet training inputs for mode {@code recalibrate}; required when that mode is on
     * @param manager owns the cached features and the networks; the grid closes it
     */
    public RunGrid(Options options, List<ImageDataset> evalSets, ImageDataset recalibrationSet, NDManager manager) {
        this(options, evalSets, Map.of(), recalibrationSet, manager);
    }

    /**
     * A grid whose cells record which images of the split each evaluation set holds.
     *
     * @param evalSubsets per evaluation set name, the description its cells carry ({@link HybridCell#evalSubset()});
     *     a set without one gets none
     */
    public RunGrid(Options options, List<ImageDataset> evalSets, Map<String, String> evalSubsets,
            ImageDataset recalibrationSet, NDManager manager) {
        if (evalSets.isEmpty()) {
            throw new IllegalArgumentException("at least one evaluation set");
        }
        if (options.bnModes().contains(RECALIBRATE) && recalibrationSet == null) {
            throw new IllegalArgumentException("mode recalibrate needs a recalibration set of training inputs");
        }
        this.options = options;
        this.evalSets = List.copyOf(evalSets);
        this.evalSubsets = Map.copyOf(evalSubsets);
        this.recalibrationSet = options.bnModes().contains(RECALIBRATE) ? recalibrationSet : null;
        this.manager = manager;
        this.cache = new FeatureCache(manager, options.featureBudgetBytes(), options.spillDir());
        for (ImageDataset e : this.evalSets) {
            String source = e.name();
            for (ImageDataset earlier : this.evalSets) {
                if (earlier == e) {
                    break;
                }
                if (sameImages(earlier, e)) {
                    source = imagesOf.get(earlier.name());
                    break;
                }
            }
            imagesOf.put(e.name(), source);
            byName.put(e.name(), e);
        }
    }

    private static boolean sameImages(ImageDataset x, ImageDataset y) {
        return x.size() == y.size() && x.channels() == y.channels() && x.height() == y.height()
                && x.width() == y.width() && java.util.Arrays.equals(x.pixels(), y.pixels());
    }

    /** The name under which an evaluation set's features are cached (that of the first set with its images). */
    private String imagesKey(ImageDataset e) {
        return imagesOf.getOrDefault(e.name(), e.name());
    }

    public boolean contains(int step) {
        return checkpoints.containsKey(step);
    }

    public List<Integer> steps() {
        return List.copyOf(checkpoints.keySet());
    }

    public NDManager manager() {
        return manager;
    }

    public Options options() {
        return options;
    }

    public List<String> evalSetNames() {
        return evalSets.stream().map(ImageDataset::name).toList();
    }

    /** Bytes of shallow features held in memory and written to disk. */
    public long[] cacheBytes() {
        return new long[] {cache.residentBytes(), cache.spilledBytes()};
    }

    /** Records a cell computed earlier (stored), so that it is not recomputed and counts in summaries. */
    public void remember(HybridCell cell) {
        known.put(cell.key(), cell.metrics());
    }

    public boolean isKnown(CellKey key) {
        return known.containsKey(key);
    }

    public List<HybridCell> add(int step, CutNetwork net) {
        return add(step, SegmentedNet.of(net));
    }

    /**
     * Adds a checkpoint (its network must live in this grid's manager) and evaluates every new cell:
     * the diagonal and, against every checkpoint already present, both orders, at every cut, on every
     * evaluation set, in every BatchNorm mode. Cells already remembered are skipped. Adding a step
     * twice adds nothing. The cells returned have no per-image predictions (a listener gets them).
     */
    public List<HybridCell> add(int step, SegmentedNet net) {
        return add(step, net, CellListener.NONE);
    }

    /**
     * Receives the cells of a checkpoint as they are computed: once per (cut, mode, pair), with the cells of
     * every evaluation set of that pair (empty when they were all remembered), and how far the checkpoint is.
     * These cells carry their per-image predictions ({@link HybridCell#predictions()}); the grid keeps none.
     * The grid calls it on the adding thread; a listener that throws stops the checkpoint there (the cells it
     * was given count as computed).
     */
    @FunctionalInterface
    public interface CellListener {
        CellListener NONE = (cells, done, expected) -> {
        };

        /**
         * @param cells the new cells of one pair (all evaluation sets)
         * @param stepCellsDone cells of this checkpoint done so far, computed now or remembered
         * @param stepCellsExpected cells this checkpoint adds to the grid
         */
        void cells(List<HybridCell> cells, int stepCellsDone, int stepCellsExpected);
    }

    /** Cells of one (a, b) pair: one per cut, evaluation set and BatchNorm mode the deep network allows. */
    public int cellsPerPair() {
        boolean recalibratable = checkpoints.isEmpty() || checkpoints.firstEntry().getValue().net().recalibratable();
        long modes = options.bnModes().stream().filter(m -> recalibratable || CARRY.equals(m)).count();
        return (int) (options.cuts().size() * evalSets.size() * modes);
    }

    /** Cells of the grid over its checkpoints when complete: {@link #cellsPerPair()} x k x k. */
    public int gridCellsExpected() {
        return cellsPerPair() * checkpoints.size() * checkpoints.size();
    }

    /**
     * The cells of one checkpoint's row and column (over the grid's checkpoints): {computed or remembered,
     * expected}; {0, 0} when the step is not in the grid.
     */
    public int[] stepCells(int step) {
        if (!checkpoints.containsKey(step)) {
            return new int[] {0, 0};
        }
        int n = 0;
        for (CellKey key : known.keySet()) {
            if ((key.shallowStep() == step && checkpoints.containsKey(key.deepStep())
                    || key.deepStep() == step && checkpoints.containsKey(key.shallowStep()))
                    && options.cuts().contains(key.cut()) && options.bnModes().contains(key.bnMode())
                    && byName.containsKey(key.evalSet())) {
                n++;
            }
        }
        return new int[] {n, cellsPerPair() * (2 * checkpoints.size() - 1)};
    }

    /** Cells of the grid over its checkpoints computed now or remembered from the store. */
    public int gridCellsComputed() {
        int n = 0;
        for (CellKey key : known.keySet()) {
            if (checkpoints.containsKey(key.shallowStep()) && checkpoints.containsKey(key.deepStep())
                    && options.cuts().contains(key.cut()) && options.bnModes().contains(key.bnMode())
                    && byName.containsKey(key.evalSet())) {
                n++;
            }
        }
        return n;
    }

    /**
     * Adds a checkpoint like {@link #add(int, SegmentedNet)}, handing every pair's cells to the listener as
     * soon as they are computed.
     */
    public List<HybridCell> add(int step, SegmentedNet net, CellListener listener) {
        if (checkpoints.containsKey(step)) {
            return List.of();
        }
        float[][] parameters = net.segmentParameters();
        if (FLOAT16.equals(options.precision())) {
            if (!(net instanceof LowPrecision lp)) {
                throw new IllegalArgumentException("this network cannot run in float16");
            }
            lp.cast(DataType.FLOAT16);
        }
        long t0 = System.nanoTime();
        Entry entry = forwardAll(step, net, parameters);
        forwardNanos += System.nanoTime() - t0;
        checkpoints.put(step, entry);
        List<HybridCell> cells = new ArrayList<>();
        ParameterStore ps = new ParameterStore(manager, false);
        int perPair = evalSets.size();
        long modes = options.bnModes().stream().filter(m -> net.recalibratable() || CARRY.equals(m)).count();
        int expected = (int) (options.cuts().size() * modes * perPair * (2L * checkpoints.size() - 1));
        int done = 0;
        for (String cut : options.cuts()) {
            List<int[]> pairs = new ArrayList<>();
            pairs.add(new int[] {step, step});
            for (Integer other : checkpoints.keySet()) {
                if (other != step) {
                    pairs.add(new int[] {other, step});
                    pairs.add(new int[] {step, other});
                }
            }
            for (int[] pair : pairs) {
                for (String mode : options.bnModes()) {
                    if (RECALIBRATE.equals(mode) && !net.recalibratable()) {
                        continue;
                    }
                    List<HybridCell> pairCells = evaluatePair(cut, mode, pair[0], pair[1], ps);
                    for (HybridCell cell : pairCells) {
                        known.put(cell.key(), cell.metrics());
                        cells.add(cell.withoutPredictions()); // the listener alone gets them: nothing piles up
                    }
                    done += perPair;
                    listener.cells(pairCells, done, expected);
                }
            }
        }
        return cells;
    }

    /** Features at every cut, plain logits: one forward pass per evaluation set (and recalibration set). */
    private Entry forwardAll(int step, SegmentedNet net, float[][] parameters) {
        ParameterStore ps = new ParameterStore(manager, false);
        Map<String, float[][]> logits = new LinkedHashMap<>();
        Map<String, int[]> predictions = new LinkedHashMap<>();
        List<String> byDepth = new ArrayList<>(options.cuts());
        byDepth.sort((x, y) -> Integer.compare(net.cutIndex(x), net.cutIndex(y)));
        List<ImageDataset> sets = new ArrayList<>(evalSets);
        if (recalibrationSet != null) {
            sets.add(recalibrationSet.subset(RECALIBRATION_SET, identity(recalibrationSet.size())));
        }
        for (ImageDataset data : sets) {
            if (!imagesKey(data).equals(data.name())) {
                continue; // the same images as an earlier set: its features and logits serve both
            }
            boolean needLogits = !RECALIBRATION_SET.equals(data.name());
            float[][] rows = new float[data.size()][];
            for (int from = 0, b = 0; from < data.size(); from += options.batchSize(), b++) {
                int to = Math.min(data.size(), from + options.batchSize());
                try (NDManager batch = manager.newSubManager()) {
                    NDList current = new NDList(cast(data.images(batch, from, to)));
                    int done = 0;
                    for (String cut : byDepth) {
                        int upTo = net.cutIndex(cut);
                        current = net.forward(ps, current, done, upTo, false);
                        done = upTo;
                        NDArray kept = cache.put(FeatureCache.key(step, data.name(), cut), b,
                                current.singletonOrThrow(), batch);
                        current = new NDList(kept);
                        if (needLogits) {
                            NDArray k32 = kept.toType(DataType.FLOAT32, false);
                            double sq = k32.mul(k32).sum().getFloat(); // x * x: pow(2)'s values, 6x faster
                            featureNorms.merge(FeatureCache.key(step, data.name(), cut), sq, Double::sum);
                        }
                    }
                    if (needLogits) {
                        NDArray out = net.forward(ps, current, done, net.segmentCount(), false).singletonOrThrow();
                        float[][] r = Inference.toRows(out.toType(DataType.FLOAT32, false));
                        System.arraycopy(r, 0, rows, from, r.length);
                    }
                }
            }
            if (needLogits) {
                logits.put(data.name(), rows);
                predictions.put(data.name(), Inference.argmax(rows));
            }
        }
        for (ImageDataset e : evalSets) {
            logits.putIfAbsent(e.name(), logits.get(imagesKey(e)));
            predictions.putIfAbsent(e.name(), predictions.get(imagesKey(e)));
        }
        return new Entry(net, logits, predictions, parameters);
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private NDArray cast(NDArray images) {
        return FLOAT16.equals(options.precision()) ? images.toType(DataType.FLOAT16, false) : images;
    }

    /** Every evaluation set's cell of one (cut, mode, a, b), skipping the stored ones. */
    private List<HybridCell> evaluatePair(String cut, String mode, int a, int b, ParameterStore ps) {
        List<ImageDataset> todo = evalSets.stream()
                .filter(e -> !known.containsKey(new CellKey(cut, e.name(), mode, a, b))).toList();
        if (todo.isEmpty()) {
            return List.of();
        }
        Entry shallow = checkpoints.get(a);
        Entry deep = checkpoints.get(b);
        boolean recalibrate = RECALIBRATE.equals(mode);
        if (recalibrate && !deep.net().recalibratable()) {
            return List.of();
        }
        int cutIndex = deep.net().cutIndex(cut);
        Double paramDistance = paramDistance(shallow, deep, shallow.net().cutIndex(cut));
        List<HybridCell> out = new ArrayList<>();
        BnRecalibration recal = recalibrate
                ? new BnRecalibration(deep.net().batchNorms(cutIndex, deep.net().segmentCount()))
                : null;
        try {
            if (recal != null) {
                recalibrate(recal, cut, a, deep.net(), cutIndex, ps);
                deep.net().statisticsChanged();
            }
            Map<String, float[][]> hybridLogits = new HashMap<>();
            for (ImageDataset e : todo) {
                float[][] logits;
                if (a == b && !recalibrate) {
                    logits = deep.logits().get(e.name());
                } else {
                    logits = hybridLogits.computeIfAbsent(imagesKey(e),
                            k -> deepLogits(cut, byName.get(k), a, deep.net(), cutIndex, ps));
                }
                // every image's predicted class and margin, from the logits in hand; the accuracy counts the same
                HybridPredictions predictions = HybridPredictions.of(logits, e.labels(), e.splitIndices());
                Map<String, Double> metrics = HybridMetrics.of(logits, predictions.predicted(), e.labels(),
                        deep.logits().get(e.name()), shallow.predictions().get(e.name()));
                boolean deepAtChance = atChance(b, e);
                if (deepAtChance) {
                    metrics.remove(HybridMetrics.RELATIVE_ACCURACY); // chance over chance: no information
                }
                if (paramDistance != null) {
                    metrics.put(HybridMetrics.PARAM_DISTANCE, paramDistance);
                }
                metrics.put(HybridMetrics.FEATURE_DISTANCE, a == b ? 0.0 : featureDistance(cut, e, a, b));
                out.add(new HybridCell(cut, e.name(), mode, options.precision(), a, b, e.size(), metrics,
                        predictions, evalSubsets.get(e.name()), deepAtChance));
            }
        } finally {
            if (recal != null) {
                recal.close();
                deep.net().statisticsChanged();
            }
        }
        return out;
    }

    /** Passes the recalibration inputs through shallow(a) (cached) and deep(b) in training mode. */
    private void recalibrate(BnRecalibration recal, String cut, int a, SegmentedNet deep, int cutIndex,
            ParameterStore ps) {
        String key = FeatureCache.key(a, RECALIBRATION_SET, cut);
        for (int i = 0; i < cache.batches(key); i++) {
            try (NDManager batch = manager.newSubManager()) {
                NDArray features = cache.get(key, i, batch);
                recal.beforeBatch((int) features.getShape().get(0));
                deep.forward(ps, new NDList(features), cutIndex, deep.segmentCount(), true);
            }
        }
    }

    private float[][] deepLogits(String cut, ImageDataset e, int a, SegmentedNet deep, int cutIndex,
            ParameterStore ps) {
        long t0 = System.nanoTime();
        String key = FeatureCache.key(a, imagesKey(e), cut);
        float[][] rows = new float[e.size()][];
        int from = 0;
        for (int i = 0; i < cache.batches(key); i++) {
            try (NDManager batch = manager.newSubManager()) {
                NDArray features = cache.get(key, i, batch);
                NDArray out = deep.forward(ps, new NDList(features), cutIndex, deep.segmentCount(), false)
                        .singletonOrThrow();
                float[][] r = Inference.toRows(out.toType(DataType.FLOAT32, false));
                System.arraycopy(r, 0, rows, from, r.length);
                from += r.length;
                deepFlopsImages += r.length;
            }
        }
        deepNanos += System.nanoTime() - t0;
        return rows;
    }

    /** Nanoseconds spent in deep passes of hybrids (including reading cached features). */
    public long deepNanos() {
        return deepNanos;
    }

    /** Nanoseconds spent in the checkpoints' own forward passes (features and plain logits). */
    public long forwardNanos() {
        return forwardNanos;
    }

    /** Images passed through a deep part so far (for benchmarks). */
    public long deepImages() {
        return deepFlopsImages;
    }

    private double featureDistance(String cut, ImageDataset e, int a, int b) {
        String ka = FeatureCache.key(a, imagesKey(e), cut);
        String kb = FeatureCache.key(b, imagesKey(e), cut);
        // |z_a - z_b|^2 is the same both ways (negation is exact): one pass over the features serves the pair's next
        // request too, (b, a) right after (a, b) or the same pair in another BatchNorm mode
        String pair = Math.min(a, b) + "|" + Math.max(a, b) + "|" + imagesKey(e) + "|" + cut;
        Double cached = squaredDistances.remove(pair);
        double diff;
        if (cached != null) {
            diff = cached;
        } else {
            diff = 0;
            for (int i = 0; i < cache.batches(ka); i++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray zlo = cache.get(a < b ? ka : kb, i, batch);
                    NDArray zhi = cache.get(a < b ? kb : ka, i, batch);
                    // squared in place (the difference is this batch's own): pow(2)'s values, a sixth of its time
                    // on channels-last features (libtorch 2.7.1)
                    NDArray d = zlo.toType(DataType.FLOAT32, false).sub(zhi.toType(DataType.FLOAT32, false));
                    diff += d.muli(d).sum().getFloat();
                }
            }
            squaredDistances.put(pair, diff);
        }
        double norm = featureNorms.get(kb);
        return norm == 0 ? 0 : Math.sqrt(diff / norm);
    }

    private static Double paramDistance(Entry shallow, Entry deep, int segments) {
        float[][] pa = shallow.segmentParameters();
        float[][] pb = deep.segmentParameters();
        if (pa == null || pb == null) {
            return null;
        }
        double diff = 0;
        double norm = 0;
        for (int s = 0; s < segments; s++) {
            for (int i = 0; i < pa[s].length; i++) {
                double d = (double) pa[s][i] - pb[s][i];
                diff += d * d;
                norm += (double) pb[s][i] * pb[s][i];
            }
        }
        return norm == 0 ? 0.0 : Math.sqrt(diff / norm);
    }

    /**
     * Whether the checkpoint at {@code step}, as it is (BatchNorm statistics carried), is at chance on the evaluation
     * set ({@link ChanceLevel}): decided from its own predictions, so cells remembered from the store before the rule
     * existed are judged the same way.
     */
    private boolean atChance(int step, ImageDataset e) {
        int[] predicted = checkpoints.get(step).predictions().get(e.name());
        return ChanceLevel.atChance(HybridMetrics.fractionEqual(predicted, e.labels()), e.numClasses(), e.size());
    }

    /**
     * TC summaries of every (cut, evaluation set, mode) with at least one forward pair whose deep donor is not at
     * chance; pairs whose deep donor is at chance are left out of the means (so a run trained on random labels has no
     * summary on its test sets: every deep donor is at chance there). A checkpoint's chance verdict never changes and
     * checkpoints only join, so a summary once published is never withdrawn.
     */
    public List<TcSummary> summaries(double threshold) {
        List<Integer> steps = steps();
        List<TcSummary> out = new ArrayList<>();
        for (String cut : options.cuts()) {
            for (ImageDataset e : evalSets) {
                for (String mode : options.bnModes()) {
                    Map<List<Integer>, Double> rel = new HashMap<>();
                    for (int i = 0; i < steps.size(); i++) {
                        for (int j = i + 1; j < steps.size(); j++) {
                            Map<String, Double> m = known.get(new CellKey(cut, e.name(), mode, steps.get(i),
                                    steps.get(j)));
                            if (m != null && m.get(HybridMetrics.RELATIVE_ACCURACY) != null) {
                                rel.put(List.of(steps.get(i), steps.get(j)), m.get(HybridMetrics.RELATIVE_ACCURACY));
                            }
                        }
                    }
                    if (!rel.isEmpty()) {
                        Set<Integer> atChance = new HashSet<>();
                        for (int step : steps) {
                            if (atChance(step, e)) {
                                atChance.add(step);
                            }
                        }
                        TcSummary summary = TcSummary.of(cut, e.name(), mode, steps, rel, atChance, threshold);
                        if (summary.all().pairs() > 0) { // every deep donor at chance: nothing to summarise
                            out.add(summary);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The features of a checkpoint on the first evaluation set at every cut, global-average-pooled over
     * space: n x C_d.
     */
    public Map<String, float[][]> pooledFeatures(int step) {
        if (!checkpoints.containsKey(step)) {
            throw new IllegalArgumentException("no checkpoint at step " + step);
        }
        ImageDataset e = evalSets.get(0);
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (String cut : options.cuts()) {
            float[][] rows = new float[e.size()][];
            int from = 0;
            String key = FeatureCache.key(step, imagesKey(e), cut);
            for (int i = 0; i < cache.batches(key); i++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray f = cache.get(key, i, batch).toType(DataType.FLOAT32, false);
                    // N x C x H x W: pooled over space; N x C (features without space, e.g. imported): as they are
                    NDArray pooled = f.getShape().dimension() == 4 ? f.mean(new int[] {2}).mean(new int[] {2})
                            : f.reshape(f.getShape().get(0), -1);
                    float[][] r = Inference.toRows(pooled);
                    System.arraycopy(r, 0, rows, from, r.length);
                    from += r.length;
                }
            }
            out.put(cut, rows);
        }
        return out;
    }

    /** Labels of the first evaluation set. */
    public int[] labels() {
        return evalSets.get(0).labels();
    }

    /** A network that can switch itself to a reduced precision (parameters cast in place). */
    public interface LowPrecision {
        void cast(DataType type);
    }

    @Override
    public void close() {
        cache.close();
        for (Entry e : checkpoints.values()) {
            e.net().close();
        }
        manager.close();
    }
}
