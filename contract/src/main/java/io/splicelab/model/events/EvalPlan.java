package io.splicelab.model.events;

import io.splicelab.model.events.RunConfig.FieldError;
import io.splicelab.model.values.BnMode;
import io.splicelab.model.values.EvalSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run's hybrids are evaluated on (docs/science.md section 2): its evaluation sets, BatchNorm modes and cuts.
 * A run's own choice, recorded in its configuration ({@link RunConfig#evalSets()}, {@link RunConfig#bnModes()},
 * {@link RunConfig#cuts()}) or in its import's event, so that the configuration a run records says what its grid
 * holds; the splicer's settings apply only to events from before the plan existed (a null field). The rules live
 * here once, for a run configuration and an import alike; each problem names its field.
 *
 * @param evalSets {@code test}, {@code train}, {@code train-noisy} (label-noise runs only) and
 *     {@code <corruption>-<severity>}, each once, in the order evaluated
 * @param bnModes {@code carry} and/or {@code recalibrate}
 * @param cuts cut names of the network, each once
 */
public record EvalPlan(List<String> evalSets, List<String> bnModes, List<String> cuts) {
    /**
     * The corrupted sets of the default plan: one noise, one weather and one digital corruption of CIFAR-10-C at the
     * middle severity, all computed on the fly for every dataset, the 28x28 grayscale ones included.
     */
    public static final List<String> DEFAULT_CORRUPTIONS = List.of("gaussian_noise-3", "fog-3", "contrast-3");
    /** The BatchNorm modes of the default plan. */
    public static final List<String> DEFAULT_BN_MODES = List.of(BnMode.CARRY.wire());
    /** The most names one list of a plan may hold (more than every distinct evaluation set, cut or mode). */
    public static final int MAX_NAMES = 128;

    /** The three lists as they are (null: not given; a null name is kept, for {@link #problems} to refuse). */
    public EvalPlan {
        evalSets = frozen(evalSets);
        bnModes = frozen(bnModes);
        cuts = frozen(cuts);
    }

    private static List<String> frozen(List<String> names) {
        return names == null ? null : Collections.unmodifiableList(new ArrayList<>(names));
    }

    /**
     * The default evaluation sets: {@code test}, {@code train} ({@code train-noisy} after it for a label-noise run)
     * and {@link #DEFAULT_CORRUPTIONS}, enough to read the paper's claims (temporal consistency on training, test and
     * corrupted data; its collapse on the labels a random-label run fitted).
     */
    public static List<String> defaultEvalSets(double labelNoise) {
        List<String> out = new ArrayList<>(List.of(EvalSet.TEST.wire(), EvalSet.TRAIN.wire()));
        if (labelNoise > 0) {
            out.add(EvalSet.TRAIN_NOISY.wire());
        }
        out.addAll(DEFAULT_CORRUPTIONS);
        return List.copyOf(out);
    }

    /**
     * The evaluation sets as a run evaluates them: for a label-noise run {@code train} brings {@code train-noisy}
     * right after it (the same images with the labels it fitted), so that the recorded list is the evaluated one.
     */
    public static List<String> withNoisyTrain(List<String> sets, double labelNoise) {
        String train = EvalSet.TRAIN.wire();
        String noisy = EvalSet.TRAIN_NOISY.wire();
        if (sets == null || labelNoise <= 0 || !sets.contains(train) || sets.contains(noisy)) {
            return sets;
        }
        List<String> out = new ArrayList<>(sets);
        out.add(out.indexOf(train) + 1, noisy);
        return frozen(out);
    }

    /** Each null list of this plan replaced by the other plan's (old events: the splicer's settings). */
    public EvalPlan orElse(EvalPlan fallback) {
        return new EvalPlan(evalSets != null ? evalSets : fallback.evalSets(),
                bnModes != null ? bnModes : fallback.bnModes(), cuts != null ? cuts : fallback.cuts());
    }

    /**
     * A comma-separated request parameter as a list ({@code test,train, fog-3}); null when absent or blank, so that
     * the default applies. Empty items stay, to be refused by {@link #problems}.
     */
    public static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Arrays.stream(text.strip().split("\\s*,\\s*", -1)).map(String::strip).toList();
    }

    /**
     * Every problem of the plan, at most one per field, in the order evalSets, bnModes, cuts; a null list is not
     * checked (required-ness is the caller's).
     *
     * @param labelNoise the run's label noise: {@code train-noisy} needs it above 0
     * @param dataset the dataset (null: unknown); the corruptions read only from the CIFAR-10-C files need cifar10
     * @param knownCuts the network's cut names (null: unknown, not checked)
     * @param cutsOf what the cuts are of, for the message (e.g. {@code resnet20}, {@code the manifest})
     * @param modes the BatchNorm modes that apply (imported networks: carry only)
     */
    public List<FieldError> problems(double labelNoise, String dataset, List<String> knownCuts, String cutsOf,
            Set<BnMode> modes) {
        List<FieldError> out = new ArrayList<>();
        problem("evalSets", evalSets, name -> evalSetProblem(name, labelNoise, dataset), out);
        problem("bnModes", bnModes, name -> {
            BnMode mode;
            try {
                mode = BnMode.parse(name);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            return modes.contains(mode) ? null : RunIds.quote(name) + " does not apply here; only "
                    + modes.stream().map(BnMode::wire).sorted().toList();
        }, out);
        problem("cuts", cuts, name -> knownCuts == null || knownCuts.contains(name) ? null
                : RunIds.quote(name) + " is not a cut of " + cutsOf + "; its cuts: " + knownCuts, out);
        return out;
    }

    private static String evalSetProblem(String name, double labelNoise, String dataset) {
        EvalSet set;
        try {
            set = EvalSet.parse(name);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (set.equals(EvalSet.TRAIN_NOISY) && !(labelNoise > 0)) {
            return "train-noisy needs labelNoise > 0 (without label noise it is train)";
        }
        if (set.fileOnly() && dataset != null && !"cifar10".equals(dataset)) {
            return name + " exists only in the CIFAR-10-C files, for cifar10";
        }
        return null;
    }

    /** One list's problem: its size, then the first bad name, then the first name listed twice. */
    private static void problem(String field, List<String> names, java.util.function.Function<String, String> check,
            List<FieldError> out) {
        if (names == null) {
            return;
        }
        if (names.isEmpty() || names.size() > MAX_NAMES) {
            out.add(new FieldError(field, "must list between 1 and " + MAX_NAMES + " names"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                out.add(new FieldError(field, "must not list an empty name"));
                return;
            }
            String problem = check.apply(name);
            if (problem != null) {
                out.add(new FieldError(field, problem));
                return;
            }
            if (!seen.add(name)) {
                out.add(new FieldError(field, "lists " + RunIds.quote(name) + " twice"));
                return;
            }
        }
    }
}
