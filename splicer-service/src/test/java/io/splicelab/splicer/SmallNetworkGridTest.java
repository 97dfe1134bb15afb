package io.splicelab.splicer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EvalPlan;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's grid is what its evaluation plan says (its sets, modes and cuts); the small networks have none of the ResNet
 * cut names: without a plan (an event from before it) their grid is over every cut they have.
 */
@ExtendWith(DjlOfflineExtension.class)
class SmallNetworkGridTest {
    @TempDir
    Path dir;

    @Test
    void aCnnRunIsSplicedAtItsOwnCuts() throws Exception {
        RunConfig config = EventCodec.mapper().readValue("{\"architecture\":\"cnn\",\"widthMultiplier\":0.25,"
                + "\"dataset\":\"synthetic\",\"steps\":10,\"checkpointInterval\":10,\"trainSize\":64,\"evalSize\":40,"
                + "\"evalSets\":[\"test\"],\"bnModes\":[\"carry\",\"recalibrate\"]}",
                RunConfig.class).withDefaults();
        OnnxImportTest.Captured captured = splice("cnn-run", config);
        assertEquals(new TreeSet<>(Networks.defaultCuts("cnn")),
                new TreeSet<>(captured.cells.stream().map(HybridEvaluated::cut).toList()));
        // 3 cuts x (1 + 3) cells x BN modes carry and recalibrate
        assertEquals(3 * 4 * 2, captured.cells.size());
        assertEquals(List.of("conv1", "conv2", "fc1"), Networks.defaultCuts("cnn"));
    }

    @Test
    void aRunsPlanGivesEveryCellOfEverySetAndModeAtItsCutsAndTheSettingsServeOnlyEventsWithoutOne()
            throws Exception {
        RunConfig config = EventCodec.mapper().readValue("{\"architecture\":\"cnn\",\"widthMultiplier\":0.25,"
                + "\"dataset\":\"synthetic\",\"steps\":10,\"checkpointInterval\":10,\"trainSize\":64,\"evalSize\":40,"
                + "\"labelNoise\":0.5,\"evalSets\":[\"test\",\"train\",\"train-noisy\",\"gaussian_noise-1\",\"fog-2\"],"
                + "\"bnModes\":[\"carry\",\"recalibrate\"],\"cuts\":[\"fc1\",\"conv1\"]}", RunConfig.class)
                .withDefaults();
        assertTrue(config.validate().isEmpty(), config.validate().toString());
        OnnxImportTest.Captured captured = splice("planned-run", config);
        Set<List<Object>> expected = new HashSet<>();
        for (String cut : config.cuts()) {
            for (String set : config.evalSets()) {
                for (String mode : config.bnModes()) {
                    for (int a : new int[] {0, 10}) {
                        for (int b : new int[] {0, 10}) {
                            expected.add(List.of(cut, set, mode, a, b));
                        }
                    }
                }
            }
        }
        List<List<Object>> keys = captured.cells.stream()
                .map(c -> List.<Object>of(c.cut(), c.evalSet(), c.bnMode(), c.shallowStep(), c.deepStep())).toList();
        assertEquals(2 * 5 * 2 * 4, expected.size());
        assertEquals(expected, new HashSet<>(keys), "every cell of every set, mode and cut of the plan");
        assertEquals(expected.size(), keys.size(), "each once");
        assertTrue(captured.cells.stream().allMatch(c -> c.samples() == 40), "every set has evalSize images");

        // the same run recorded before the plan: the splicer's settings (test; carry and recalibrate; every cnn cut)
        OnnxImportTest.Captured old = splice("old-run", config.withEvalPlan(new EvalPlan(null, null, null)));
        assertEquals(Set.of("test"), old.cells.stream().map(HybridEvaluated::evalSet).collect(Collectors.toSet()));
        assertEquals(Set.of("carry", "recalibrate"),
                old.cells.stream().map(HybridEvaluated::bnMode).collect(Collectors.toSet()));
        assertEquals(new TreeSet<>(Networks.defaultCuts("cnn")),
                new TreeSet<>(old.cells.stream().map(HybridEvaluated::cut).toList()));
        assertEquals(3 * 4 * 2, old.cells.size());
    }

    /** Two seeded checkpoints (steps 0 and 10) of a width-0.25 cnn, spliced by a service of the test settings. */
    private OnnxImportTest.Captured splice(String runId, RunConfig config) throws Exception {
        NetworkSpec spec = new NetworkSpec("cnn", 0.25, 3, 32, 32, 10);
        ArtifactStore store = new LocalArtifactStore(dir.resolve(runId).resolve("artifacts"));
        OnnxImportTest.Captured captured = new OnnxImportTest.Captured();
        SplicingService splicer = OnnxImportTest.service(store, captured, dir.resolve(runId).resolve("spill"));
        try (NDManager m = NDManager.newBaseManager()) {
            for (int step : new int[] {0, 10}) {
                Engine.getInstance().setRandomSeed(step + 1);
                CutNetwork net = Networks.build(spec);
                net.block().initialize(m, DataType.FLOAT32, Checkpoints.inputShape(spec));
                ArtifactRef ref = store.put(RunArtifacts.checkpointParams(runId, step), Checkpoints.save(net.block()),
                        Checkpoints.MEDIA_TYPE);
                splicer.onCheckpoint(new CheckpointCreated(runId, step, step / 10, config, spec, ref, 1, 0.5));
            }
        } finally {
            splicer.close();
        }
        return captured;
    }
}
