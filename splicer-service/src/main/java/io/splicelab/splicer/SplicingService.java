package io.splicelab.splicer;

import ai.djl.ndarray.NDManager;
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
 * Keeps the hybrid grid of the runs in progress and grows it with every checkpoint event: loads the
 * checkpoint (verified against its sha256), evaluates its row and column, publishes the cells and the
 * probe features. Imported checkpoints (ONNX segments, {@link #onImported}) grow their run's grid the same way. After a restart the grid of a run is rebuilt from the checkpoint manifests in the
 * artifact store, so no earlier checkpoint is missed; cells republished then are upserted downstream.
 */
@ApplicationScoped
public class SplicingService {
    private static final Logger LOG = Logger.getLogger(SplicingService.class);

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
    private final long featureBudgetBytes;
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

    /** A fixed batch size (tests). */
    public SplicingService(ArtifactStore store, SplicerPublisher publisher, List<String> cuts, int batchSize,
            int maxRuns, List<String> evalSets, List<String> bnModes, int recalibrationSize, long featureMemoryMb,
            String spillDir, String precision, double tcThreshold, String device, int onnxThreads) {
        this(store, publisher, cuts, String.valueOf(batchSize), maxRuns, evalSets, bnModes, recalibrationSize,
                featureMemoryMb, spillDir, precision, tcThreshold, device, onnxThreads);
    }

    @Inject
    public SplicingService(ArtifactStore store, SplicerPublisher publisher,
            @ConfigProperty(name = "splicelab.splicer.cuts", defaultValue = "stem,stage1,stage2") List<String> cuts,
            @ConfigProperty(name = "splicelab.splicer.batch-size", defaultValue = "auto") String batchSize,
            @ConfigProperty(name = "splicelab.splicer.max-active-runs", defaultValue = "2") int maxRuns,
            @ConfigProperty(name = "splicelab.splicer.eval-sets", defaultValue = "test") List<String> evalSets,
            @ConfigProperty(name = "splicelab.splicer.bn-modes", defaultValue = "carry") List<String> bnModes,
            @ConfigProperty(name = "splicelab.splicer.recalibration-size", defaultValue = "200") int recalibrationSize,
            @ConfigProperty(name = "splicelab.splicer.feature-memory-mb", defaultValue = "1024") long featureMemoryMb,
            @ConfigProperty(name = "splicelab.splicer.spill-dir", defaultValue = "/tmp/splicelab-splicer") String spillDir,
            @ConfigProperty(name = "splicelab.splicer.precision", defaultValue = "float32") String precision,
            @ConfigProperty(name = "splicelab.splicer.tc-threshold", defaultValue = "0.9") double tcThreshold,
            @ConfigProperty(name = "splicelab.splicer.device", defaultValue = "auto") String device,
            @ConfigProperty(name = "splicelab.splicer.onnx-threads", defaultValue = "0") int onnxThreads) {
        this.onnxThreads = onnxThreads;
        this.evalSets = List.copyOf(evalSets);
        this.bnModes = List.copyOf(bnModes);
        this.recalibrationSize = recalibrationSize;
        this.featureBudgetBytes = featureMemoryMb * 1024 * 1024;
        this.spillDir = Path.of(spillDir);
        this.precision = RunGrid.requirePrecision(precision);
        this.tcThreshold = tcThreshold;
        this.device = device;
        this.store = store;
        this.publisher = publisher;
        this.cuts = List.copyOf(cuts);
        EvalBatchSize.resolve(batchSize, 0, 0); // a bad setting fails at start-up
        this.batchSize = batchSize;
        this.maxRuns = maxRuns;
    }

    /** Handles one checkpoint event; calls are sequential (one consumer thread). */
    public synchronized void onCheckpoint(CheckpointCreated checkpoint) {
        String runId = checkpoint.runId();
        RunGrid grid = grids.get(runId);
        if (grid == null) {
            grid = newGrid(checkpoint);
            grids.put(runId, grid);
            evictBeyondLimit(runId);
            for (CheckpointCreated earlier : earlierCheckpoints(checkpoint)) {
                LOG.infof("run %s: restoring checkpoint at step %d from the artifact store", runId, earlier.step());
                addAndPublish(grid, earlier);
            }
        }
        if (grid.contains(checkpoint.step())) {
            LOG.debugf("run %s: checkpoint at step %d already evaluated", runId, checkpoint.step());
            return;
        }
        addAndPublish(grid, checkpoint);
    }

    private void addAndPublish(RunGrid grid, CheckpointCreated checkpoint) {
        byte[] params = store.get(checkpoint.parameters());
        CutNetwork net = Checkpoints.load(checkpoint.network(), params, grid.manager());
        addAndPublish(grid, checkpoint.runId(), checkpoint.step(), SegmentedNet.of(net));
    }

    private void addAndPublish(RunGrid grid, String runId, int step, SegmentedNet net) {
        List<HybridCell> cells;
        try {
            cells = grid.add(step, net);
        } catch (RuntimeException e) {
            if (!grid.contains(step)) {
                net.close();
            }
            throw e;
        }
        for (HybridCell cell : cells) {
            publisher.publish(event(runId, cell));
        }
        if (!cells.isEmpty()) {
            storeCells(runId, step, cells);
        }
        for (TcSummary s : grid.summaries(tcThreshold)) {
            publisher.publish(new TcSummaryComputed(runId, s.cut(), s.evalSet(), s.bnMode(), s.steps(), s.curve(),
                    s.tcScore(), s.dropLag(), s.threshold()));
        }
        FeatureSnapshot snapshot = new FeatureSnapshot(grid.labels(), grid.pooledFeatures(step));
        String probeSet = grid.evalSetNames().get(0);
        String key = RunArtifacts.featureSnapshot(runId, step, probeSet);
        byte[] encoded = snapshot.encode();
        ArtifactRef ref = store.put(key, encoded, FeatureSnapshot.MEDIA_TYPE);
        publisher.publish(new FeaturesSnapshotted(runId, step, probeSet, grid.options().cuts(), grid.labels().length,
                ref));
        LOG.infof("run %s: checkpoint at step %d added %d hybrid cells", runId, step, cells.size());
    }

    /**
     * Handles one imported checkpoint (ONNX segments): like a created one, it adds its row and column to its run's
     * grid, in BatchNorm mode {@code carry} only, on the evaluation sets of the dataset the import names. The
     * checks come first, so that an import that does not fit its dataset stores nothing.
     *
     * @throws IllegalArgumentException (dead letter) when the dataset's images or classes do not match the
     *     manifest, a cut is not in the manifest, or a segment cannot be run
     */
    public synchronized void onImported(CheckpointImported imported) {
        String runId = imported.runId();
        ImportManifest manifest = imported.manifest().validated();
        RunConfig config = importConfig(imported);
        DatasetInfo info = requireFit(imported, config);
        RunGrid grid = grids.get(runId);
        if (grid == null) {
            grid = newGrid(runId, config, List.of(RunGrid.CARRY));
            grids.put(runId, grid);
            evictBeyondLimit(runId);
            for (CheckpointImported earlier : earlierImports(imported)) {
                LOG.infof("run %s: restoring imported checkpoint at step %d from the artifact store", runId,
                        earlier.step());
                addAndPublish(grid, runId, earlier.step(), loadImported(earlier, info));
            }
        }
        if (grid.contains(imported.step())) {
            LOG.debugf("run %s: imported checkpoint at step %d already evaluated", runId, imported.step());
            return;
        }
        addAndPublish(grid, runId, imported.step(), loadImported(imported, info));
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

    /** Import records of the run's imported checkpoints before this one, in step order. */
    private List<CheckpointImported> earlierImports(CheckpointImported imported) {
        List<CheckpointImported> out = new ArrayList<>();
        for (String key : store.list(RunArtifacts.importsPrefix(imported.runId()))) {
            if (!RunArtifacts.isImportRecord(key)) {
                continue;
            }
            try {
                CheckpointImported record = EventCodec.mapper().readValue(store.read(key), CheckpointImported.class);
                if (record.step() < imported.step()) {
                    out.add(record);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read import record " + key, e);
            }
        }
        out.sort((a, b) -> Integer.compare(a.step(), b.step()));
        return out;
    }

    static HybridEvaluated event(String runId, HybridCell cell) {
        return new HybridEvaluated(runId, cell.cut(), cell.evalSet(), cell.bnMode(), cell.precision(),
                cell.shallowStep(), cell.deepStep(), cell.samples(), cell.metrics());
    }

    /** Where the cells computed when a checkpoint arrived are kept, so that they are never recomputed. */
    static String cellsPrefix(String runId) {
        return RunArtifacts.runPrefix(runId) + "/splicer/cells";
    }

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

    private void rememberStoredCells(String runId, RunGrid grid) {
        for (String key : store.list(cellsPrefix(runId))) {
            try {
                HybridEvaluated[] events = EventCodec.mapper().readValue(store.read(key), HybridEvaluated[].class);
                for (HybridEvaluated e : events) {
                    grid.remember(new HybridCell(e.cut(), e.evalSet(), e.bnMode(), e.precision(), e.shallowStep(),
                            e.deepStep(), e.samples(), e.metrics()));
                }
            } catch (IOException e) {
                LOG.warnf("run %s: ignoring unreadable stored cells %s: %s", runId, key, e.getMessage());
            }
        }
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
        RunGrid.Options options = new RunGrid.Options(cutsFor(config), modes, batch, featureBudgetBytes,
                spillDir, precision);
        RunGrid grid = new RunGrid(options, sets, recal, NDManager.newBaseManager(device()));
        rememberStoredCells(runId, grid);
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
        String evalSet = request.evalSet() == null ? "test" : request.evalSet();
        List<ImageDataset> sets = EvalSets.resolve(List.of(evalSet), a.config(), cifar10cDir.orElse(null));
        RunGrid.Options options = new RunGrid.Options(cuts, List.of(RunGrid.CARRY), batchSize(a.network()),
                featureBudgetBytes,
                spillDir, precision);
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
        return EvalBatchSize.resolve(batchSize, widest,
                EvalBatchSize.budgetBytes(device(), gpuMemoryMb * 1024 * 1024));
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

    /** Manifests of the run's checkpoints before this one, in step order. */
    private List<CheckpointCreated> earlierCheckpoints(CheckpointCreated checkpoint) {
        List<CheckpointCreated> out = new ArrayList<>();
        for (String key : store.list(RunArtifacts.checkpointsPrefix(checkpoint.runId()))) {
            if (!key.endsWith(".json")) {
                continue;
            }
            try {
                byte[] json = store.read(key);
                CheckpointCreated manifest = EventCodec.mapper().readValue(json, CheckpointCreated.class);
                if (manifest.step() < checkpoint.step()) {
                    out.add(manifest);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read checkpoint manifest " + key, e);
            }
        }
        out.sort((a, b) -> Integer.compare(a.step(), b.step()));
        return out;
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
