package io.splicelab.splicer.splicing;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;

/**
 * How ONNX Runtime runs an imported checkpoint's segments. A segment is a chain of convolutions run one batch
 * at a time, so the parallelism that pays is inside each operator (intra-op threads, one per core by default);
 * operators are run one after the other (sequential mode, one inter-op thread), which leaves the cores to the
 * intra-op pool instead of oversubscribing them. Graph optimisation {@code all} fuses BatchNorm into the
 * preceding convolution and convolution with its activation, which is what makes an exported network with its
 * BatchNorm kept as separate nodes as fast as a folded one; {@code basic} keeps the graph closest to the file
 * (constant folding only) for a user who wants to rule fusion out when comparing engines. The memory arena is
 * kept: the grid's batches are sized from its memory budget, so the arena's high-water mark is bounded by it.
 *
 * @param intraOpThreads threads per operator; 0: one per available processor
 * @param optimisation the graph optimisation level: {@code basic}, {@code extended} or {@code all}
 */
public record OnnxSessionPlan(int intraOpThreads, String optimisation) {
    /** The default: a thread per core, every graph optimisation. */
    public static final OnnxSessionPlan DEFAULT = new OnnxSessionPlan(0, "all");

    /** Checks the values, so that a bad setting stops the service at start-up. */
    public OnnxSessionPlan {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("splicelab.splicer.onnx-threads must be >= 0, got " + intraOpThreads);
        }
        optimisation = optimisation == null ? "all" : optimisation.trim().toLowerCase(Locale.ROOT);
        level(optimisation);
    }

    /** The intra-op threads a session gets. */
    public int threads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }

    /** New session options for one segment; the caller closes them. */
    public OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(threads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(level(optimisation));
            options.setMemoryPatternOptimization(true);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static OptLevel level(String name) {
        return switch (name) {
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "all" -> OptLevel.ALL_OPT;
            default -> throw new IllegalArgumentException(
                    "splicelab.splicer.onnx-optimization must be basic, extended or all, got '" + name + "'");
        };
    }
}
