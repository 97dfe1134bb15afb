package io.splicelab.splicer;

import ai.djl.ndarray.NDManager;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.splicer.splicing.OnnxSegmentedNet;
import io.splicelab.splicer.splicing.OnnxSessionPlan;
import io.splicelab.splicer.splicing.SegmentedNet;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a checkpoint as a network of segments, its artifacts read from the store against their sha256: a
 * created one's DJL parameters, or an imported one's ONNX segments (run by ONNX Runtime).
 */
final class CheckpointLoader {
    private final ArtifactStore store;
    private final OnnxSessionPlan onnx;

    CheckpointLoader(ArtifactStore store, OnnxSessionPlan onnx) {
        this.store = store;
        this.onnx = onnx;
    }

    SegmentedNet created(CheckpointCreated checkpoint, NDManager manager) {
        byte[] params = store.get(checkpoint.parameters());
        return SegmentedNet.of(Checkpoints.load(checkpoint.network(), params, manager));
    }

    SegmentedNet imported(CheckpointImported imported, DatasetInfo info) {
        List<byte[]> files = new ArrayList<>();
        for (ArtifactRef ref : imported.segments()) {
            files.add(store.get(ref));
        }
        return OnnxSegmentedNet.load(imported.manifest(), files, info.mean(), info.std(), onnx);
    }
}
