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
    /** The default cut set of the ResNets: the stage boundaries. */
    public static final List<String> STAGE_CUTS = List.of("stem", "stage1", "stage2");
    private static final List<String> CNN_CUTS = List.of("conv1", "conv2", "fc1");
    private static final List<String> MLP_CUTS = List.of("fc1", "fc2");

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
                out.add("stem");
                for (int s = 1; s <= 3; s++) {
                    for (int b = 1; b <= n; b++) {
                        out.add("s" + s + "b" + b);
                    }
                    if (s < 3) {
                        out.add("stage" + s);
                    }
                }
                yield List.copyOf(out);
            }
        };
    }

    /** Whether {@code cut} is a cut of the architecture. */
    public static boolean hasCut(String architecture, String cut) {
        return isKnown(architecture) && cuts(architecture).contains(cut);
    }
}
