package io.splicelab.splicer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import io.splicelab.splicer.splicing.OnnxSessionPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the splicer's settings from the configuration ({@code application.properties}, each also an environment
 * variable), with their defaults, once at start-up.
 */
@ApplicationScoped
public class SplicerConfiguration {
    @Produces
    @Singleton
    SplicerSettings settings(
            @ConfigProperty(name = "splicelab.splicer.cuts", defaultValue = "stem,stage1,stage2") List<String> cuts,
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
            @ConfigProperty(name = "splicelab.splicer.onnx-threads", defaultValue = "0") int onnxThreads,
            @ConfigProperty(name = "splicelab.splicer.onnx-optimization", defaultValue = "all") String onnxOptimization,
            @ConfigProperty(name = "splicelab.splicer.cifar10c-dir") Optional<String> cifar10cDir,
            @ConfigProperty(name = "splicelab.splicer.gpu-memory-mb", defaultValue = "4096") long gpuMemoryMb,
            @ConfigProperty(name = "splicelab.splicer.progress-interval-ms", defaultValue = "2000")
            long progressIntervalMs) {
        return new SplicerSettings(cuts, batchSize, maxRuns, evalSets, bnModes, recalibrationSize,
                memoryBudgetMb * SplicerSettings.MB, Path.of(spillDir), precision, tcThreshold, device,
                new OnnxSessionPlan(onnxThreads, onnxOptimization),
                cifar10cDir.orElse(null), gpuMemoryMb * SplicerSettings.MB, progressIntervalMs);
    }
}
