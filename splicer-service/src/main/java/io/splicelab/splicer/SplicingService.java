package io.splicelab.splicer;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.splicer.splicing.HybridCell;
import io.splicelab.splicer.splicing.RunGrid;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the hybrid grid of the runs in progress and grows it with every checkpoint event: loads the
 * checkpoint (verified against its sha256), evaluates its row and column, publishes the cells and the
 * probe features. After a restart the grid of a run is rebuilt from the checkpoint manifests in the
 * artifact store, so no earlier checkpoint is missed; cells republished then are upserted downstream.
 */
@ApplicationScoped
public class SplicingService {
    private static final Logger LOG = Logger.getLogger(SplicingService.class);
    public static final String BN_MODE = "carry";
    public static final String PRECISION = "float32";

    private final ArtifactStore store;
    private final SplicerPublisher publisher;
    private final List<String> cuts;
    private final int batchSize;
    private final int maxRuns;
    private final Map<String, RunGrid> grids = new LinkedHashMap<>(16, 0.75f, true);

    public SplicingService(ArtifactStore store, SplicerPublisher publisher,
            @ConfigProperty(name = "splicelab.splicer.cuts", defaultValue = "stem,stage1,stage2") List<String> cuts,
            @ConfigProperty(name = "splicelab.splicer.batch-size", defaultValue = "100") int batchSize,
            @ConfigProperty(name = "splicelab.splicer.max-active-runs", defaultValue = "2") int maxRuns) {
        this.store = store;
        this.publisher = publisher;
        this.cuts = List.copyOf(cuts);
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
        List<HybridCell> cells = grid.add(checkpoint.step(), net);
        for (HybridCell cell : cells) {
            publisher.publish(new HybridEvaluated(checkpoint.runId(), cell.cut(), cell.evalSet(), BN_MODE, PRECISION,
                    cell.shallowStep(), cell.deepStep(), cell.samples(), cell.metrics()));
        }
        FeatureSnapshot snapshot = new FeatureSnapshot(grid.labels(), grid.pooledFeatures(checkpoint.step()));
        ArtifactRef ref = store.put(RunArtifacts.featureSnapshot(checkpoint.runId(), checkpoint.step(), "test"),
                snapshot.encode(), FeatureSnapshot.MEDIA_TYPE);
        publisher.publish(new FeaturesSnapshotted(checkpoint.runId(), checkpoint.step(), "test", cuts,
                grid.labels().length, ref));
        LOG.infof("run %s: checkpoint at step %d added %d hybrid cells", checkpoint.runId(), checkpoint.step(),
                cells.size());
    }

    private RunGrid newGrid(CheckpointCreated checkpoint) {
        ImageDataset evalSet = Datasets.evalSubset(checkpoint.config().withDefaults());
        return new RunGrid(evalSet, cuts, batchSize, NDManager.newBaseManager());
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
