package io.splicelab.model.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.splicelab.model.events.RunIds;
import java.util.List;

/**
 * An evaluation set of the hybrid grid, by its name in the cells' natural key (docs/science.md section 2): {@code test}
 * (the run's seeded class-stratified test subset), {@code train} (a training subset of the same size, true labels),
 * {@code train-noisy} (the same images with the labels a label-noise run trained on) or
 * {@code <corruption>-<severity>} (the test subset corrupted, severity 1-5, e.g. {@code fog-3}). The set is open,
 * so this is a value with a validating factory rather than an enum; the corruption names (CIFAR-10-C's) are written
 * here, free of any deep-learning engine, and the ML module computes exactly {@link #COMPUTED_CORRUPTIONS}.
 *
 * @param wire the name, as it is on the wire
 */
public record EvalSet(@JsonValue String wire) implements WireName {
    /** The corruptions computed on the fly, in the order of the CIFAR-10-C release. */
    public static final List<String> COMPUTED_CORRUPTIONS = List.of("gaussian_noise", "shot_noise", "impulse_noise",
            "defocus_blur", "glass_blur", "motion_blur", "zoom_blur", "snow", "fog", "brightness", "contrast",
            "elastic_transform", "pixelate", "jpeg_compression");
    /**
     * Corruptions of the official CIFAR-10-C files that are not computed: frost needs the photographs of frost the
     * script overlays; the four extra ones of the release are only read.
     */
    public static final List<String> FILE_ONLY_CORRUPTIONS = List.of("frost", "speckle_noise", "gaussian_blur",
            "spatter", "saturate");
    /** The highest corruption severity (the lowest is 1). */
    public static final int MAX_SEVERITY = 5;

    /** The run's seeded class-stratified test subset. */
    public static final EvalSet TEST = new EvalSet("test");
    /** A seeded class-stratified training subset with the true labels. */
    public static final EvalSet TRAIN = new EvalSet("train");
    /** The {@link #TRAIN} images with the labels a label-noise run trained on. */
    public static final EvalSet TRAIN_NOISY = new EvalSet("train-noisy");

    /** Validates the name (see {@link #parse(String)}). */
    public EvalSet {
        check(wire);
    }

    /**
     * The evaluation set of a name.
     *
     * @throws IllegalArgumentException saying what is wrong: an unknown name, a severity outside 1..5, an unknown
     *     corruption
     */
    @JsonCreator
    public static EvalSet parse(String name) {
        return new EvalSet(name);
    }

    /**
     * The test subset under a corruption at a severity.
     *
     * @throws IllegalArgumentException for an unknown corruption or a severity outside 1..5
     */
    public static EvalSet corrupted(String corruption, int severity) {
        return new EvalSet(corruption + "-" + severity);
    }


    /** Whether this is a corrupted test subset ({@code <corruption>-<severity>}). */
    public boolean isCorrupted() {
        return !isPlain(wire);
    }

    /** The corruption of a corrupted set ({@code fog} of {@code fog-3}). */
    public String corruption() {
        requireCorrupted();
        return wire.substring(0, wire.lastIndexOf('-'));
    }

    /** The severity of a corrupted set, 1..5. */
    public int severity() {
        requireCorrupted();
        return Integer.parseInt(wire.substring(wire.lastIndexOf('-') + 1));
    }

    /** Whether the corruption is only read from the official CIFAR-10-C files (never computed). */
    public boolean fileOnly() {
        return isCorrupted() && FILE_ONLY_CORRUPTIONS.contains(corruption());
    }

    @Override
    public String toString() {
        return wire;
    }

    private void requireCorrupted() {
        if (!isCorrupted()) {
            throw new IllegalStateException("evaluation set " + wire + " is not corrupted");
        }
    }

    /** The value escaped and shortened as {@link RunIds#quote(String)} does, without the quotes. */
    private static String unquoted(String value) {
        String q = RunIds.quote(value, 40);
        return q.substring(1, q.length() - 1);
    }

    private static boolean isPlain(String name) {
        return "test".equals(name) || "train".equals(name) || "train-noisy".equals(name);
    }

    private static void check(String name) {
        if (name != null && isPlain(name)) {
            return;
        }
        int dash = name == null ? -1 : name.lastIndexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("unknown evaluation set " + RunIds.quote(name)
                    + "; known: test, train, train-noisy, <corruption>-<severity>");
        }
        String corruption = name.substring(0, dash);
        int severity;
        try {
            severity = Integer.parseInt(name.substring(dash + 1));
        } catch (NumberFormatException e) {
            severity = 0;
        }
        if (severity < 1 || severity > MAX_SEVERITY || !name.substring(dash + 1).equals(String.valueOf(severity))) {
            throw new IllegalArgumentException("evaluation set " + RunIds.quote(name) + ": the severity must be 1.."
                    + MAX_SEVERITY);
        }
        if (!COMPUTED_CORRUPTIONS.contains(corruption) && !FILE_ONLY_CORRUPTIONS.contains(corruption)) {
            throw new IllegalArgumentException("unknown corruption " + unquoted(corruption)
                    + "; known: " + COMPUTED_CORRUPTIONS + ", from the CIFAR-10-C files only: "
                    + FILE_ONLY_CORRUPTIONS);
        }
    }
}
