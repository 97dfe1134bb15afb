package io.splicelab.model.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The networks a run can train and the names of their cuts (docs/science.md section 1), written down once and
 * free of any deep-learning engine, so that the gateway and plug-ins can validate a run configuration or read
 * a cut name without loading DJL. The ML module's {@code Networks} builds exactly these cuts (a test there
 * checks it for every architecture).
 * <ul>
 * <li>ResNet-20/32/56 ({@code resnet20}, {@code resnet32}, {@code resnet56}; suffix {@code -b} selects option B
 * shortcuts): {@code stem}, then {@code s<stage>b<block>} after every residual block, where the last block of
 * stages 1 and 2 is also named {@code stage1} and {@code stage2}.</li>
 * <li>{@code cnn}: {@code conv1}, {@code conv2}, {@code fc1}.</li>
 * <li>{@code mlp}: {@code fc1}, {@code fc2}.</li>
 * </ul>
 */
public final class Architectures {
    /** Architecture names a run configuration accepts (without the option B suffix). */
    public static final Set<String> NAMES = Set.of("resnet20", "resnet32", "resnet56", "cnn", "mlp");
    /** Suffix of an architecture name selecting option B (1x1 convolution) shortcuts. */
    public static final String OPTION_B_SUFFIX = "-b";
    /** The ResNets' first cut, after the stem convolution ({@link io.splicelab.model.values.Cut#STEM}). */
    public static final String STEM = "stem";
    /** The ResNets' cut after stage 1, an alias of its last block. */
    public static final String STAGE1 = "stage1";
    /** The ResNets' cut after stage 2, an alias of its last block. */
    public static final String STAGE2 = "stage2";
    /** The default cut set of the ResNets: the stage boundaries. */
    public static final List<String> STAGE_CUTS = List.of(STEM, STAGE1, STAGE2);
    /**
     * {@link #STAGE_CUTS} as a comma-separated configuration value (a compile-time constant, so a configuration
     * default can name it).
     */
    public static final String STAGE_CUTS_CONFIG = STEM + "," + STAGE1 + "," + STAGE2;
    /** The cuts of {@code cnn}, one after each of its first three segments. */
    public static final List<String> CNN_CUTS = List.of("conv1", "conv2", "fc1");
    /** The cuts of {@code mlp}, one after each of its hidden layers. */
    public static final List<String> MLP_CUTS = List.of("fc1", "fc2");

    private Architectures() {
    }

    /** The name without the option B suffix. */
    public static String base(String architecture) {
        return architecture.endsWith(OPTION_B_SUFFIX)
                ? architecture.substring(0, architecture.length() - OPTION_B_SUFFIX.length())
                : architecture;
    }

    /** Whether the name (with or without the option B suffix, which only the ResNets take) is a known network. */
    public static boolean isKnown(String architecture) {
        String b = base(architecture);
        boolean resnet = b.equals("resnet20") || b.equals("resnet32") || b.equals("resnet56");
        return resnet || (!architecture.endsWith(OPTION_B_SUFFIX) && (b.equals("cnn") || b.equals("mlp")));
    }

    /** Residual blocks per stage of a ResNet. */
    public static int blocksPerStage(String architecture) {
        return switch (base(architecture)) {
            case "resnet20" -> 3;
            case "resnet32" -> 5;
            case "resnet56" -> 9;
            default -> throw new IllegalArgumentException("unknown architecture " + architecture);
        };
    }

    /** The default cut set: the stage boundaries of a ResNet, every cut of the small networks. */
    public static List<String> defaultCuts(String architecture) {
        return switch (base(architecture)) {
            case "cnn" -> CNN_CUTS;
            case "mlp" -> MLP_CUTS;
            default -> STAGE_CUTS;
        };
    }

    /** Every cut name of an architecture, shallow to deep (aliases {@code stage1}, {@code stage2} included). */
    public static List<String> cuts(String architecture) {
        return switch (base(architecture)) {
            case "cnn" -> CNN_CUTS;
            case "mlp" -> MLP_CUTS;
            default -> {
                int n = blocksPerStage(architecture);
                List<String> out = new ArrayList<>();
                out.add(STEM);
                for (int s = 1; s <= 3; s++) {
                    for (int b = 1; b <= n; b++) {
                        out.add(blockCut(s, b));
                    }
                    if (s < 3) {
                        out.add(stageCut(s));
                    }
                }
                yield List.copyOf(out);
            }
        };
    }

    /** The ResNet cut after block {@code block} of stage {@code stage} (both from 1), e.g. {@code s2b3}. */
    public static String blockCut(int stage, int block) {
        return "s" + stage + "b" + block;
    }

    /** The ResNet cut after stage 1 or 2 ({@link #STAGE1}, {@link #STAGE2}): an alias of the stage's last block. */
    public static String stageCut(int stage) {
        return switch (stage) {
            case 1 -> STAGE1;
            case 2 -> STAGE2;
            default -> throw new IllegalArgumentException("only stages 1 and 2 have a stage cut, not " + stage);
        };
    }

    /** Whether {@code cut} is a cut of the architecture ({@link io.splicelab.model.values.Cut#of} says why not). */
    public static boolean hasCut(String architecture, String cut) {
        return isKnown(architecture) && cuts(architecture).contains(cut);
    }
}
