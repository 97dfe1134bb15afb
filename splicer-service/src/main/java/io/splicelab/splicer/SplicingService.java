package io.splicelab.splicer;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.values.BnMode;
import io.splicelab.model.values.EvalSet;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.LocalArtifactStore;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.splicer.splicing.OnnxSegmentedNet;
import io.splicelab.splicer.splicing.SegmentedNet;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.splicer.splicing.EvalBatchSize;
import io.splicelab.splicer.splicing.EvalSets;
import io.splicelab.splicer.splicing.HybridCell;
import io.splicelab.model.net.Networks;
import io.splicelab.splicer.splicing.RunGrid;
import io.splicelab.splicer.splicing.TcSummary;
import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the hybrid grid of the runs in progress and grows it with every checkpoint: loads the checkpoint
 * (verified against its sha256), evaluates its row and column, stores and publishes the cells as they are
 * computed, with the grid's progress, and the probe features. Imported checkpoints (ONNX segments,
 * {@link #onImported}) grow their run's grid the same way.
 *
 * <p><b>The artifact store is the truth.</b> Whatever event arrives (first delivery, redelivery, out of order,
 * for a run whose grid was evicted from memory or after a restart), every checkpoint the store has for the run
 * is in the grid before anything is reported: the missing ones are restored from their manifests (import
 * records), and cells already stored under {@code runs/<id>/splicer/cells} are remembered, never recomputed or
 * republished. A checkpoint that cannot be evaluated is recorded under {@code runs/<id>/splicer/incomplete} and
 * the grid says so ({@code incomplete}, with the reason) instead of shrinking silently.
 *
 * <p>Calls are sequential (the {@link SplicerWorker} thread, one at a time).
 */
@ApplicationScoped
public class SplicingService {
    private static final Logger LOG = Logger.getLogger(SplicingService.class);
    private static final Pattern STEP_FILE = Pattern.compile(".*/step-(\\d{8})[^/]*\\.json");

    static {
        // every use of DJL in the splicer goes through this class: offline mode is on before any of it runs,
        // whatever the launch path (the launchers also set it on the command line)
        DjlOffline.configure();
    }

    private final ArtifactStore store;
    private final SplicerPublisher publisher;
    private final List<String> cuts;
    /** {@code auto} or a number of images per forward pass ({@link EvalBatchSize}). */
    private final String batchSize;
    private final Map<NetworkSpec, Long> widestActivations = new ConcurrentHashMap<>();
    private final int maxRuns;
    private final List<String> evalSets;
    private final List<String> bnModes;
    private final int recalibrationSize;
    /** One budget for a grid's evaluation: its forward batches and its in-memory features (the rest spills). */
    private final long memoryBudgetBytes;
    private final Path spillDir;
    private final String precision;
    private final double tcThreshold;
    private final String device;
    private final int onnxThreads;
    private final Map<String, RunGrid> grids = new LinkedHashMap<>(16, 0.75f, true);
    /** Where the official CIFAR-10-C files are looked for first (then {@code CIFAR-10-C/} in the data roots). */
    @ConfigProperty(name = "splicelab.splicer.cifar10c-dir")
    Optional<String> cifar10cDir = Optional.empty();
    /** The memory an {@code auto} batch may plan with on a GPU (the engine does not report free device memory). */
    @ConfigProperty(name = "splicelab.splicer.gpu-memory-mb", defaultValue = "4096")
    long gpuMemoryMb = 4096;
    /** At most one progress event per this many milliseconds while a checkpoint is evaluated (plus one at its end). */
    @ConfigProperty(name = "splicelab.splicer.progress-interval-ms", defaultValue = "2000")
    long progressIntervalMs = 2000;

    /** A fixed batch size (tests). */
    public SplicingService(ArtifactStore store, SplicerPublisher publisher, List<String> cuts, int batchSize,
            int maxRuns, List<String> evalSets, List<String> bnModes, int recalibrationSize, long memoryBudgetMb,
            String spillDir, String precision, double tcThreshold, String device, int onnxThreads) {
        this(store, publisher, cuts, String.valueOf(batchSize), maxRuns, evalSets, bnModes, recalibrationSize,
                memoryBudgetMb, spillDir, precision, tcThreshold, device, onnxThreads);
    }

    @Inject
    public SplicingService(ArtifactStore store, SplicerPublisher publisher,
            @ConfigProperty(name = "splicelab.splicer.cuts", defaultValue = Architectures.STAGE_CUTS_CONFIG) List<String> cuts,
            @ConfigProperty(name = "splicelab.splicer.batch-size", defaultValue = "auto") String batchSize,
            @ConfigProperty(name = "splicelab.splicer.max-active-runs", defaultValue = "2") int maxRuns,
            @ConfigProperty(name = "splicelab.splicer.eval-sets", defaultValue = "test") List<String> evalSets,
            @ConfigProperty(name = "splicelab.splicer.bn-modes", defaultValue = "carry") List<String> bnModes,
            @ConfigProperty(name = "splicelab.splicer.recalibration-size", defaultValue = "200") int recalibrationSize,
            @ConfigProperty(name = "splicelab.splicer.memory-budget-mb", defaultValue = "512") long memoryBudgetMb,
            @ConfigProperty(name = "splicelab.splicer.spill-dir", defaultValue = "/tmp/splicelab-splicer") String spillDir,
            @ConfigProperty(name = "splicelab.splicer.precision", defaultValue = "float32") String precision,
            @ConfigProperty(name = "splicelab.splicer.tc-threshold", defaultValue = "0.9") double tcThreshold,
            @ConfigProperty(name = "splicelab.splicer.device", defaultValue = "auto") String device,
            @ConfigProperty(name = "splicelab.splicer.onnx-threads", defaultValue = "0") int onnxThreads) {
        if (memoryBudgetMb < 1) {
            throw new IllegalArgumentException("splicelab.splicer.memory-budget-mb must be at least 1");
        }
        this.onnxThreads = onnxThreads;
        this.evalSets = List.copyOf(evalSets);
        this.bnModes = BnMode.parseAll(bnModes).stream().map(BnMode::wire).toList();
        this.recalibrationSize = recalibrationSize;
        this.memoryBudgetBytes = memoryBudgetMb * 1024 * 1024;
        this.spillDir = Path.of(spillDir);
        this.precision = RunGrid.requirePrecision(precision);
        this.tcThreshold = tcThreshold;
        this.device = device;
        this.store = store;
        this.publisher = publisher;
        this.cuts = List.copyOf(cuts);
        EvalBatchSize.resolve(batchSize, 0, 0, false); // a bad setting fails at start-up
        this.batchSize = batchSize;
        this.maxRuns = maxRuns;
    }

    // ---- accepting an event: cheap checks only, no evaluation ----

    /** A run id that is safe as a path segment of the artifact store: the contract's rule ({@link RunIds}). */
    static String requireRunId(String runId) {
        return RunIds.requireValid(runId);
    }

    /**
     * Checks a created checkpoint before it is accepted: its fields, and that its manifest and parameters are
     * files in the artifact store (their sha256 is checked when they are read for the evaluation).
     *
     * @throws RuntimeException (dead letter) with the reason
     */
    public void validate(CheckpointCreated checkpoint) {
        if (checkpoint.runId() == null || checkpoint.parameters() == null || checkpoint.network() == null
                || checkpoint.config() == null) {
            throw new InvalidEventException("runId, parameters, network and config are required");
        }
        requireRunId(checkpoint.runId());
        if (checkpoint.step() < 0) {
            throw new InvalidEventException("step must not be negative, was " + checkpoint.step());
        }
        String manifest = RunArtifacts.checkpointManifest(checkpoint.runId(), checkpoint.step());
        if (!store.exists(manifest)) {
            throw new ArtifactIntegrityException("the checkpoint's manifest " + manifest + " is not in the store");
        }
        requireFile(checkpoint.parameters());
    }

    /**
     * Checks an imported checkpoint before it is accepted: its fields, its manifest, that its dataset fits the
     * manifest, and that its import record and segment files are in the artifact store.
     *
     * @throws RuntimeException (dead letter) with the reason
     */
    public void validate(CheckpointImported imported) {
        if (imported.runId() == null || imported.manifest() == null || imported.segments() == null
                || imported.dataset() == null) {
            throw new InvalidEventException("runId, dataset, manifest and segments are required");
        }
        requireRunId(imported.runId());
        if (imported.step() < 0) {
            throw new InvalidEventException("step must not be negative, was " + imported.step());
        }
        imported.manifest().validated();
        requireFit(imported, importConfig(imported));
        String record = RunArtifacts.importRecord(imported.runId(), imported.step());
        if (!store.exists(record)) {
            throw new ArtifactIntegrityException("the import record " + record + " is not in the store");
        }
        for (ArtifactRef segment : imported.segments()) {
            requireFile(segment);
        }
    }

    private void requireFile(ArtifactRef ref) {
        String uri = ref == null ? null : ref.uri();
        if (uri == null || !uri.startsWith(LocalArtifactStore.SCHEME)) {
            throw new ArtifactIntegrityException("not an artifact reference: " + uri);
        }
        if (!store.exists(uri.substring(LocalArtifactStore.SCHEME.length()))) {
            throw new ArtifactIntegrityException("artifact " + uri + " is not a file in the store");
        }
    }

    // ---- evaluating ----

    /** Evaluates a created checkpoint, after every other checkpoint the store has for its run. */
    public synchronized void onCheckpoint(CheckpointCreated checkpoint) {
        String runId = requireRunId(checkpoint.runId());
        RunGrid grid = gridOf(runId, () -> newGrid(checkpoint));
        TreeMap<Integer, Supplier<SegmentedNet>> todo = new TreeMap<>();
        for (Map.Entry<Integer, String> stored : storedSteps(RunArtifacts.checkpointsPrefix(runId), false).entrySet()) {
            if (!grid.contains(stored.getKey())) {
                todo.put(stored.getKey(), () -> loadCreated(grid, readJson(stored.getValue(), CheckpointCreated.class)));
            }
        }
        if (!grid.contains(checkpoint.step())) {
            todo.put(checkpoint.step(), () -> loadCreated(grid, checkpoint)); // the event's own reference wins
        }
        grow(grid, runId, checkpoint.step(), todo);
    }

    private SegmentedNet loadCreated(RunGrid grid, CheckpointCreated checkpoint) {
        byte[] params = store.get(checkpoint.parameters());
        return SegmentedNet.of(Checkpoints.load(checkpoint.network(), params, grid.manager()));
    }

    /**
     * Evaluates an imported checkpoint (ONNX segments): like a created one, it adds its row and column to its
     * run's grid, in BatchNorm mode {@code carry} only, on the evaluation sets of the dataset the import names,
     * after every other imported checkpoint the store has for its run.
     *
     * @throws IllegalArgumentException (dead letter) when the dataset's images or classes do not match the
     *     manifest or a cut is not in the manifest; checked before anything is evaluated or stored
     */
    public synchronized void onImported(CheckpointImported imported) {
        String runId = requireRunId(imported.runId());
        imported.manifest().validated();
        RunConfig config = importConfig(imported);
        DatasetInfo info = requireFit(imported, config);
        RunGrid grid = gridOf(runId, () -> newGrid(runId, config, List.of(RunGrid.CARRY)));
        TreeMap<Integer, Supplier<SegmentedNet>> todo = new TreeMap<>();
        for (Map.Entry<Integer, String> stored : storedSteps(RunArtifacts.importsPrefix(runId), true).entrySet()) {
            if (!grid.contains(stored.getKey())) {
                todo.put(stored.getKey(), () -> {
                    CheckpointImported record = readJson(stored.getValue(), CheckpointImported.class);
                    return loadImported(record, requireFit(record, importConfig(record)));
                });
            }
        }
        if (!grid.contains(imported.step())) {
            todo.put(imported.step(), () -> loadImported(imported, info));
        }
        grow(grid, runId, imported.step(), todo);
    }

    private RunGrid gridOf(String runId, Supplier<RunGrid> create) {
        RunGrid grid = grids.get(runId);
        if (grid == null) {
            grid = create.get();
            grids.put(runId, grid);
            evictBeyondLimit(runId);
        }
        return grid;
    }

    /**
     * Adds the checkpoints in step order. One that fails is recorded incomplete (and the run's grid dropped
     * from memory when the failure left it half-added, so that the next event rebuilds it from the store);
     * the others go on. Then the summaries and the grid's status.
     */
    private void grow(RunGrid grid, String runId, int delivered, TreeMap<Integer, Supplier<SegmentedNet>> todo) {
        boolean dropped = false;
        for (Map.Entry<Integer, Supplier<SegmentedNet>> e : todo.entrySet()) {
            int step = e.getKey();
            if (step != delivered) {
                LOG.infof("run %s: restoring checkpoint at step %d from the artifact store", runId, step);
            }
            try {
                // only new work is announced: a restored checkpoint's cells are in the store (and at the gateway)
                // already, and ticks from a half-restored grid would show the run's grid shrinking and growing back
                boolean announce = step == delivered && step == todo.lastKey();
                addAndPublish(grid, runId, step, e.getValue(), step == delivered, announce);
                store.deleteAll(incompleteKey(runId, step));
            } catch (RuntimeException failure) {
                String reason = "checkpoint at step " + step + " could not be evaluated: " + failure;
                LOG.errorf(failure, "run %s: %s", runId, reason);
                markIncomplete(runId, step, reason);
                if (grid.contains(step)) {
                    dropped = true;
                    break;
                }
            }
        }
        if (dropped) {
            grids.remove(runId);
            grid.close();
            publishStatus(runId, delivered);
            return;
        }
        for (TcSummary s : grid.summaries(tcThreshold)) {
            publisher.publish(new TcSummaryComputed(runId, s.cut(), s.evalSet(), s.bnMode(), s.steps(), s.curve(),
                    s.tcScore(), s.dropLag(), s.threshold()));
        }
        publisher.publish(status(grid, runId, delivered));
    }

    private void addAndPublish(RunGrid grid, String runId, int step, Supplier<SegmentedNet> loader,
            boolean delivered, boolean announce) {
        SegmentedNet net = loader.get();
        ProgressTicker ticker = new ProgressTicker(runId, step, grid, announce);
        List<HybridCell> cells;
        try {
            cells = grid.add(step, net, (batch, done, expected) -> {
                if (!batch.isEmpty()) {
                    storeCells(runId, step, batch);
                    for (HybridCell cell : batch) {
                        publisher.publish(event(runId, cell));
                    }
                }
                ticker.tick(done, expected, false);
            });
        } catch (RuntimeException e) {
            if (!grid.contains(step)) {
                net.close();
            }
            throw e;
        }
        ticker.tick(ticker.done, ticker.expected, true);
        String probeSet = grid.evalSetNames().get(0);
        String key = RunArtifacts.featureSnapshot(runId, step, probeSet);
        // a restored checkpoint's snapshot went out when it was first evaluated; a delivered one goes out again
        if (delivered || !store.exists(key)) {
            FeatureSnapshot snapshot = new FeatureSnapshot(grid.labels(), grid.pooledFeatures(step));
            ArtifactRef ref = store.put(key, snapshot.encode(), FeatureSnapshot.MEDIA_TYPE);
            publisher.publish(new FeaturesSnapshotted(runId, step, probeSet, grid.options().cuts(),
                    grid.labels().length, ref));
        }
        long[] bytes = grid.cacheBytes();
        LOG.infof("run %s: checkpoint at step %d added %d hybrid cells (features: %d MB in memory, %d MB spilled)",
                runId, step, cells.size(), bytes[0] >> 20, bytes[1] >> 20);
    }

    /**
     * Progress of one checkpoint: at most one event per interval while it is evaluated, and one at its end; silent
     * for a checkpoint that is only being restored.
     */
    private final class ProgressTicker {
        private final String runId;
        private final int step;
        private final RunGrid grid;
        private final boolean announce;
        private long last = System.nanoTime();
        int done;
        int expected;

        ProgressTicker(String runId, int step, RunGrid grid, boolean announce) {
            this.runId = runId;
            this.step = step;
            this.grid = grid;
            this.announce = announce;
        }

        void tick(int done, int expected, boolean end) {
            this.done = done;
            this.expected = expected;
            long now = System.nanoTime();
            if (announce && (end || now - last >= progressIntervalMs * 1_000_000L)) {
                last = now;
                publisher.publish(new GridProgress(runId, step, done, expected, grid.gridCellsComputed(),
                        grid.gridCellsExpected(), grid.steps().size(), GridProgress.COMPUTING, null));
            }
        }
    }

    /**
     * The grid's status after a checkpoint event: {@code incomplete} (with the reasons) when a checkpoint of the
     * run could not be evaluated; {@code complete} when every cell of every checkpoint is there and the run makes
     * no more checkpoints (the trainer's completed marker; an import run: all its imports are in); else
     * {@code waiting} for the next checkpoint.
     */
    private GridProgress status(RunGrid grid, String runId, int step) {
        List<String> reasons = incompleteReasons(runId);
        int computed = grid.gridCellsComputed();
        int expected = grid.gridCellsExpected();
        String status;
        if (!reasons.isEmpty()) {
            status = GridProgress.INCOMPLETE;
        } else if (computed == expected && finished(runId)) {
            status = GridProgress.COMPLETE;
        } else {
            status = GridProgress.WAITING;
        }
        int[] stepCells = grid.stepCells(step);
        return new GridProgress(runId, step, stepCells[0], stepCells[1], computed, expected, grid.steps().size(), status,
                reasons.isEmpty() ? null : String.join("; ", reasons));
    }

    private boolean finished(String runId) {
        return store.exists(RunArtifacts.completedMarker(runId))
                || !storedSteps(RunArtifacts.importsPrefix(runId), true).isEmpty();
    }

    /**
     * Publishes a run's status without evaluating anything (its training completed, or a checkpoint failed):
     * from its grid when it is in memory, else from what the store has (its checkpoints, stored cells and
     * incomplete records).
     */
    public synchronized void publishStatus(String runId, int step) {
        Set<Integer> steps = new TreeSet<>(storedSteps(RunArtifacts.checkpointsPrefix(runId), false).keySet());
        steps.addAll(storedSteps(RunArtifacts.importsPrefix(runId), true).keySet());
        if (step < 0) {
            step = steps.isEmpty() ? 0 : ((TreeSet<Integer>) steps).last();
        }
        RunGrid grid = grids.get(runId);
        if (grid != null) {
            publisher.publish(status(grid, runId, step));
            return;
        }
        Set<List<Object>> combos = new HashSet<>();
        Set<HybridCell.CellKey> inGrid = new HashSet<>();
        for (HybridCell cell : storedCells(runId)) {
            combos.add(List.of(cell.cut(), cell.evalSet(), cell.bnMode()));
            if (steps.contains(cell.shallowStep()) && steps.contains(cell.deepStep())) {
                inGrid.add(cell.key());
            }
        }
        int expected = combos.size() * steps.size() * steps.size();
        List<String> reasons = incompleteReasons(runId);
        String status = !reasons.isEmpty() ? GridProgress.INCOMPLETE
                : expected > 0 && inGrid.size() == expected && finished(runId) ? GridProgress.COMPLETE
                        : GridProgress.WAITING;
        publisher.publish(new GridProgress(runId, step, 0, 0, inGrid.size(), expected, steps.size(), status,
                reasons.isEmpty() ? null : String.join("; ", reasons)));
    }

    /** Records that a checkpoint could not be evaluated, and says so on the progress stream. */
    public synchronized void markIncomplete(String runId, int step, String reason) {
        String key = incompleteKey(runId, step);
        store.deleteAll(key);
        store.put(key, EventCodec.toJson(Map.of("step", step, "reason", String.valueOf(reason)))
                .getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static String incompleteKey(String runId, int step) {
        return String.format("%s/splicer/incomplete/step-%08d.json", RunArtifacts.runPrefix(runId), step);
    }

    private List<String> incompleteReasons(String runId) {
        List<String> out = new ArrayList<>();
        for (String key : store.list(RunArtifacts.runPrefix(runId) + "/splicer/incomplete")) {
            try {
                out.add(EventCodec.mapper().readTree(store.read(key)).path("reason").asText());
            } catch (IOException | RuntimeException e) {
                out.add(key + " is unreadable");
            }
        }
        return out;
    }

    /**
     * The steps the store has under a prefix (checkpoint manifests, or import records) and their keys. A
     * record whose name is not a step is left out.
     */
    private Map<Integer, String> storedSteps(String prefix, boolean imports) {
        Map<Integer, String> out = new TreeMap<>();
        for (String key : store.list(prefix)) {
            if (imports ? !RunArtifacts.isImportRecord(key) : !key.matches(".*/checkpoints/step-\\d{8}\\.json")) {
                continue;
            }
            Matcher m = STEP_FILE.matcher(key);
            if (m.matches()) {
                out.put(Integer.parseInt(m.group(1)), key);
            }
        }
        return out;
    }

    private <T> T readJson(String key, Class<T> type) {
        try {
            return EventCodec.mapper().readValue(store.read(key), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    /** The configuration an import's evaluation sets are resolved with: its dataset, size and seed. */
    static RunConfig importConfig(CheckpointImported imported) {
        return new RunConfig(null, null, imported.dataset(), null, null, null, null, null, imported.seed(), null,
                imported.evalSize()).withDefaults();
    }

    /** The dataset of an import, when its images and classes are what the manifest's network takes. */
    private DatasetInfo requireFit(CheckpointImported imported, RunConfig config) {
        ImportManifest m = imported.manifest();
        DatasetInfo info = DatasetInfo.of(config.dataset())
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset " + config.dataset() + "; known: "
                        + DatasetInfo.KNOWN.keySet()));
        if (info.channels() != m.channels() || info.height() != m.height() || info.width() != m.width()) {
            throw new IllegalArgumentException("dataset " + info.name() + " has images of shape [" + info.channels()
                    + ", " + info.height() + ", " + info.width() + "] but the imported network takes input.shape "
                    + m.input().shape());
        }
        if (info.numClasses() != m.numClasses()) {
            throw new IllegalArgumentException("dataset " + info.name() + " has " + info.numClasses()
                    + " classes but the imported network has numClasses " + m.numClasses());
        }
        for (String cut : cuts) {
            if (!m.cuts().contains(cut)) {
                throw new IllegalArgumentException("the splicer evaluates cut '" + cut + "' but the imported manifest "
                        + "has cuts " + m.cuts());
            }
        }
        if (imported.segments().size() != m.segments().size()) {
            throw new IllegalArgumentException("the event names " + imported.segments().size()
                    + " segment files for " + m.segments().size() + " segments");
        }
        return info;
    }

    private SegmentedNet loadImported(CheckpointImported imported, DatasetInfo info) {
        List<byte[]> files = new ArrayList<>();
        for (ArtifactRef ref : imported.segments()) {
            files.add(store.get(ref));
        }
        return OnnxSegmentedNet.load(imported.manifest(), files, info.mean(), info.std(), onnxThreads);
    }

    static HybridEvaluated event(String runId, HybridCell cell) {
        return new HybridEvaluated(runId, cell.cut(), cell.evalSet(), cell.bnMode(), cell.precision(),
                cell.shallowStep(), cell.deepStep(), cell.samples(), cell.metrics());
    }

    /** Where the cells computed when a checkpoint arrived are kept, so that they are never recomputed. */
    static String cellsPrefix(String runId) {
        return RunArtifacts.runPrefix(runId) + "/splicer/cells";
    }

    /** Stores a batch of cells as they are computed (one file per batch, named by its content). */
    private void storeCells(String runId, int step, List<HybridCell> cells) {
        List<HybridEvaluated> events = cells.stream().map(c -> event(runId, c)).toList();
        try {
            byte[] json = EventCodec.mapper().writeValueAsBytes(events);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
            store.put(String.format("%s/step-%08d-%s.json", cellsPrefix(runId), step, hash), json, "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cells stored for a run (a file that cannot be read is skipped with a warning: its cells are redone). */
    private List<HybridCell> storedCells(String runId) {
        List<HybridCell> out = new ArrayList<>();
        for (String key : store.list(cellsPrefix(runId))) {
            try {
                HybridEvaluated[] events = EventCodec.mapper().readValue(store.read(key), HybridEvaluated[].class);
                for (HybridEvaluated e : events) {
                    out.add(new HybridCell(e.cut(), e.evalSet(), e.bnMode(), e.precision(), e.shallowStep(),
                            e.deepStep(), e.samples(), e.metrics()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("run %s: ignoring unreadable stored cells %s: %s", runId, key, e.getMessage());
            }
        }
        return out;
    }

    private RunGrid newGrid(CheckpointCreated checkpoint) {
        return newGrid(checkpoint.runId(), checkpoint.config(), bnModes, checkpoint.network());
    }

    private RunGrid newGrid(String runId, RunConfig config, List<String> modes) {
        return newGrid(runId, config, modes, null);
    }

    /** @param spec the network, for an {@code auto} batch size (null: not known, the fallback size) */
    private RunGrid newGrid(String runId, RunConfig config, List<String> modes, NetworkSpec spec) {
        List<ImageDataset> sets = EvalSets.resolve(evalSets, config, cifar10cDir.orElse(null));
        ImageDataset recal = modes.contains(RunGrid.RECALIBRATE)
                ? EvalSets.recalibration(config, recalibrationSize)
                : null;
        int batch = batchSize(spec);
        LOG.infof("run %s: evaluation sets %s, %d images per forward pass", runId,
                sets.stream().map(ImageDataset::name).toList(), batch);
        RunGrid.Options options = new RunGrid.Options(cutsFor(config), modes, batch,
                featureBudget(spec, batch), spillDir, precision);
        RunGrid grid = new RunGrid(options, sets, recal, NDManager.newBaseManager(device()));
        storedCells(runId).forEach(grid::remember);
        return grid;
    }

    /**
     * The cuts of a run's grid: the configured ones for the ResNet family (and imports, whose manifest is
     * checked against them); every cut of a small network ({@code cnn}, {@code mlp}), which has none of
     * the ResNet cut names.
     */
    List<String> cutsFor(RunConfig config) {
        if (config == null || config.architecture() == null) {
            return cuts;
        }
        List<String> defaults = Networks.defaultCuts(config.architecture());
        return defaults.equals(Networks.STAGE_CUTS) ? cuts : defaults;
    }

    /** A cross-run request: checkpoint stepA of runA against checkpoint stepB of runB. */
    public record CrossRunRequest(String runA, Integer stepA, String runB, Integer stepB, String evalSet) {
    }

    /** One cross-run cell: the shallow part from (shallowRun, shallowStep), the deep part from the other. */
    public record CrossRunCell(String cut, String evalSet, String bnMode, String shallowRun, int shallowStep,
            String deepRun, int deepStep, int samples, Map<String, Double> metrics) {
    }

    /** Computes the cross-run hybrids of two checkpoints of runs of the same architecture. */
    public synchronized List<CrossRunCell> crossRun(CrossRunRequest request) {
        CheckpointCreated a = manifest(request.runA(), request.stepA());
        CheckpointCreated b = manifest(request.runB(), request.stepB());
        if (!a.network().equals(b.network())) {
            throw new IllegalArgumentException("different architectures: " + a.network() + " vs " + b.network());
        }
        String evalSet = request.evalSet() == null ? EvalSet.TEST.wire() : request.evalSet();
        List<ImageDataset> sets = EvalSets.resolve(List.of(evalSet), a.config(), cifar10cDir.orElse(null));
        int batch = batchSize(a.network());
        RunGrid.Options options = new RunGrid.Options(cuts, List.of(RunGrid.CARRY), batch,
                featureBudget(a.network(), batch), spillDir, precision);
        List<CrossRunCell> out = new ArrayList<>();
        try (RunGrid grid = new RunGrid(options, sets, null, NDManager.newBaseManager(device()))) {
            List<HybridCell> cells = new ArrayList<>(grid.add(0,
                    Checkpoints.load(a.network(), store.get(a.parameters()), grid.manager())));
            cells.addAll(grid.add(1, Checkpoints.load(b.network(), store.get(b.parameters()), grid.manager())));
            for (HybridCell c : cells) {
                CheckpointCreated shallow = c.shallowStep() == 0 ? a : b;
                CheckpointCreated deep = c.deepStep() == 0 ? a : b;
                out.add(new CrossRunCell(c.cut(), c.evalSet(), c.bnMode(), shallow.runId(), shallow.step(),
                        deep.runId(), deep.step(), c.samples(), c.metrics()));
            }
        }
        return out;
    }

    private CheckpointCreated manifest(String runId, int step) {
        requireRunId(runId);
        String key = RunArtifacts.checkpointManifest(runId, step);
        if (!store.exists(key)) {
            throw new IllegalArgumentException("no checkpoint of run " + runId + " at step " + step);
        }
        try {
            return EventCodec.mapper().readValue(store.read(key), CheckpointCreated.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint manifest " + key, e);
        }
    }

    /**
     * Images per forward pass: the configured number, or for {@code auto} the fit of the network's widest
     * activation into the device's memory budget ({@link EvalBatchSize}).
     */
    int batchSize(NetworkSpec spec) {
        long widest = 0;
        if (spec != null && EvalBatchSize.AUTO.equalsIgnoreCase(batchSize.trim())) {
            widest = widestActivations.computeIfAbsent(spec, EvalBatchSize::widestActivation);
        }
        Device d = device();
        return EvalBatchSize.resolve(batchSize, widest, d.isGpu() ? gpuMemoryMb * 1024 * 1024 : memoryBudgetBytes,
                d.isGpu());
    }

    /**
     * The bytes of shallow features a grid keeps in memory: the memory budget less what its forward batches
     * use ({@link EvalBatchSize#bytesPerImage} per image on the grids' device; half the budget when the
     * network's activations are not known, as for an imported one). Features beyond it spill to disk.
     */
    long featureBudget(NetworkSpec spec, int batch) {
        long widest = spec == null ? 0 : widestActivations.computeIfAbsent(spec, EvalBatchSize::widestActivation);
        long working = widest == 0 ? memoryBudgetBytes / 2
                : Math.min(memoryBudgetBytes / 2, EvalBatchSize.bytesPerImage(widest, device().isGpu()) * batch);
        return Math.max(0, memoryBudgetBytes - working);
    }

    /** The device of the grids: {@code auto} (a GPU when there is one), {@code cpu} or {@code gpu}. */
    Device device() {
        return switch (device) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            case "auto" -> Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("splicelab.splicer.device must be auto, cpu or gpu");
        };
    }

    private void evictBeyondLimit(String keep) {
        while (grids.size() > maxRuns) {
            String eldest = grids.keySet().iterator().next();
            if (eldest.equals(keep)) {
                break;
            }
            LOG.infof("run %s: evicting its grid from memory", eldest);
            grids.remove(eldest).close();
        }
    }

    @PreDestroy
    synchronized void close() {
        grids.values().forEach(RunGrid::close);
        grids.clear();
    }
}
