package io.splicelab.splicer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Networks;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The small networks have none of the ResNet cut names: their grid is over every cut they have. */
@ExtendWith(DjlOfflineExtension.class)
class SmallNetworkGridTest {
    @TempDir
    Path dir;

    @Test
    void aCnnRunIsSplicedAtItsOwnCuts() throws Exception {
        RunConfig config = EventCodec.mapper().readValue("{\"architecture\":\"cnn\",\"widthMultiplier\":0.25,"
                + "\"dataset\":\"synthetic\",\"steps\":10,\"checkpointInterval\":10,\"trainSize\":64,\"evalSize\":40}",
                RunConfig.class).withDefaults();
        NetworkSpec spec = new NetworkSpec("cnn", 0.25, 3, 32, 32, 10);
        ArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        OnnxImportTest.Captured captured = new OnnxImportTest.Captured();
        SplicingService splicer = OnnxImportTest.service(store, captured, dir.resolve("spill"));
        try (NDManager m = NDManager.newBaseManager()) {
            for (int step : new int[] {0, 10}) {
                Engine.getInstance().setRandomSeed(step + 1);
                CutNetwork net = Networks.build(spec);
                net.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(spec));
                ArtifactRef ref = store.put(RunArtifacts.checkpointParams("cnn-run", step), Checkpoints.save(net.block()),
                        Checkpoints.MEDIA_TYPE);
                splicer.onCheckpoint(new CheckpointCreated("cnn-run", step, step / 10, config, spec, ref, 1, 0.5));
            }
        } finally {
            splicer.close();
        }
        assertEquals(new TreeSet<>(Networks.defaultCuts("cnn")),
                new TreeSet<>(captured.cells.stream().map(HybridEvaluated::cut).toList()));
        // 3 cuts x (1 + 3) cells x BN modes carry and recalibrate
        assertEquals(3 * 4 * 2, captured.cells.size());
        assertEquals(List.of("conv1", "conv2", "fc1"), Networks.defaultCuts("cnn"));
    }
}
