package io.splicelab.model.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.OneOf.Choice;
import io.splicelab.model.validation.Contracts;
import io.splicelab.model.values.EvalSubset;
import io.splicelab.model.values.WireName;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a user asks for when starting a run. Validated up front so that a bad request fails at the
 * gateway, naming the field, instead of deep inside the trainer. Every field is optional in JSON;
 * {@link #withDefaults()} fills what was left out (and resolves {@code augmentation=auto} and
 * {@code epochs} into explicit values), so the configuration a run records is the one it ran with.
 *
 * <p>Over 400 lines because it is the one place a run's 37 fields are declared with their bounds (Bean Validation
 * constraints on the components), their cross-field rules and their defaults: split, a rule would drift from its
 * field.
 *
 * @param architecture network: {@code resnet20}, {@code resnet32}, {@code resnet56}, {@code cnn},
 *     {@code mlp}
 * @param widthMultiplier multiplies the stage widths 16/32/64 (the layer widths of the small nets)
 * @param dataset dataset name: {@code synthetic}, {@code cifar10}, {@code cifar100}, {@code mnist},
 *     {@code fashion-mnist}, {@code svhn}
 * @param steps number of optimizer steps (derived from {@code epochs} when only that is given)
 * @param batchSize minibatch size
 * @param learningRate peak learning rate
 * @param momentum SGD momentum (Adam: beta1)
 * @param checkpointInterval a checkpoint every this many steps (and at step 0 and the last step)
 * @param seed fixes initialisation, data order, augmentation, label noise and the evaluation subsets
 * @param trainSize number of training examples (default: 4000 for synthetic, the whole split otherwise;
 *     smaller: a seeded class-stratified subset)
 * @param evalSize size of the test subset the hybrids are evaluated on (with {@code evalSubset=indices}: the number
 *     of evalIndices, its default)
 * @param shortcut ResNet shortcuts that change shape: {@code A} (zero-pad, default) or {@code B} (1x1 conv)
 * @param optimizer {@code sgd} (default) or {@code adam}
 * @param nesterov Nesterov momentum for SGD (default false)
 * @param weightDecay L2 weight decay added to the gradient (default 5e-4)
 * @param lrSchedule {@code constant} (default), {@code step} (times {@code lrGamma} at each of
 *     {@code lrMilestones}) or {@code cosine} (to 0 at the last step)
 * @param lrMilestones steps at which the step schedule multiplies the rate by {@code lrGamma}
 * @param lrGamma factor of the step schedule (default 0.1)
 * @param warmupSteps linear warm-up from 0 over this many steps, before the schedule (default 0)
 * @param epochs training length in epochs (an epoch is trainSize / batchSize steps); alternative to steps
 * @param augmentation {@code auto} (the dataset's default), {@code none}, {@code crop}, {@code flip},
 *     {@code crop+flip}: random crop with zero padding (4 px at 32x32, 2 at 28x28), horizontal flip
 * @param labelNoise fraction p of training labels replaced by seeded uniform random labels (1 = random
 *     labels)
 * @param freezeCut the shallow part up to this cut stops updating (weights and BN statistics) ...
 * @param freezeStep ... from this step on (default 0 when a freeze cut is given)
 * @param checkpointEveryEpoch also a checkpoint at the end of every epoch
 * @param logCheckpoints this many log-spaced early checkpoints between step 1 and the interval
 * @param noiseSteps checkpoint steps at which SGD noise is sampled (docs/science.md section 4)
 * @param noiseMinibatches m, the number of minibatch gradients per noise sample (default 64)
 * @param noiseProjectionDim when set, the noise (and update) are projected to this many dimensions by
 *     a seeded Gaussian random projection
 * @param device {@code auto} (GPU when the engine has one), {@code cpu} or {@code gpu}
 * @param dataDir directory searched first for the dataset files
 * @param download whether missing dataset files may be downloaded (with checksum verification)
 * @param evalSubset which test images the hybrids are evaluated on ({@link EvalSubset}): {@code stratified} (a
 *     seeded class-stratified sample of evalSize, the default), {@code first} (the first evalSize images of the test
 *     split) or {@code indices} (the images at {@code evalIndices}; the default when only those are given)
 * @param evalIndices with {@code evalSubset=indices}: distinct indices into the dataset's test split, 10 to
 *     {@value #MAX_EVAL_INDICES} of them, evaluated in the order listed
 * @param evalSets the evaluation sets of the run's hybrid grid ({@link EvalPlan}): {@code test}, {@code train},
 *     {@code train-noisy} (only with labelNoise > 0; a label-noise run's {@code train} brings it along) and
 *     {@code <corruption>-<severity>}; default {@link EvalPlan#defaultEvalSets}. Null in events from before the
 *     plan: the splicer's configured sets
 * @param bnModes BatchNorm modes of the grid, {@code carry} (default) and/or {@code recalibrate}
 * @param cuts the cuts of the grid, cut names of the architecture (default: its default cuts,
 *     {@link Architectures#defaultCuts}; left null for an architecture that is not known, whose own problem that is)
 */
public record RunConfig(
        @NotNull(message = RunConfig.REQUIRED) @OneOf(Choice.ARCHITECTURE) String architecture,
        @NotNull(message = RunConfig.REQUIRED) @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 8]")
        @DecimalMax(value = "8", message = "must be in (0, 8]") Double widthMultiplier,
        @NotNull(message = RunConfig.REQUIRED) @OneOf(Choice.DATASET) String dataset,
        @NotNull(message = RunConfig.REQUIRED) @Min(value = 1, message = RunConfig.STEPS_RANGE)
        @Max(value = RunConfig.MAX_STEPS, message = RunConfig.STEPS_RANGE) Integer steps,
        @NotNull(message = RunConfig.REQUIRED) @Min(value = 1, message = "must be between 1 and 4096")
        @Max(value = 4096, message = "must be between 1 and 4096") Integer batchSize,
        @NotNull(message = RunConfig.REQUIRED) @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 10]")
        @DecimalMax(value = "10", message = "must be in (0, 10]") Double learningRate,
        @NotNull(message = RunConfig.REQUIRED) @DecimalMin(value = "0", message = "must be in [0, 1)")
        @DecimalMax(value = "1", inclusive = false, message = "must be in [0, 1)") Double momentum,
        @NotNull(message = RunConfig.REQUIRED) @Min(value = 1, message = "must be at least 1") Integer checkpointInterval,
        Long seed,
        @NotNull(message = RunConfig.REQUIRED) Integer trainSize,
        @NotNull(message = RunConfig.REQUIRED) @Min(value = 10, message = "must be between 10 and 100000")
        @Max(value = 100_000, message = "must be between 10 and 100000") Integer evalSize,
        @NotNull(message = RunConfig.REQUIRED) @Pattern(regexp = "A|B", message = "must be A or B") String shortcut,
        @NotNull(message = RunConfig.REQUIRED) @OneOf(Choice.OPTIMIZER) String optimizer,
        Boolean nesterov,
        @NotNull(message = RunConfig.REQUIRED) @DecimalMin(value = "0", message = "must be in [0, 1)")
        @DecimalMax(value = "1", inclusive = false, message = "must be in [0, 1)") Double weightDecay,
        @NotNull(message = RunConfig.REQUIRED) @OneOf(Choice.SCHEDULE) String lrSchedule,
        @NotNull(message = RunConfig.REQUIRED) @Size(max = RunConfig.MAX_MILESTONES,
                message = "must list at most {max} steps") List<Integer> lrMilestones,
        @NotNull(message = RunConfig.REQUIRED) @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 1]")
        @DecimalMax(value = "1", message = "must be in (0, 1]") Double lrGamma,
        @NotNull(message = RunConfig.REQUIRED) @Min(value = 0, message = "must be between 0 and steps") Integer warmupSteps,
        Integer epochs,
        @NotNull(message = RunConfig.REQUIRED) @OneOf(Choice.AUGMENTATION) String augmentation,
        @NotNull(message = RunConfig.REQUIRED) @DecimalMin(value = "0", message = "must be in [0, 1]")
        @DecimalMax(value = "1", message = "must be in [0, 1]") Double labelNoise,
        String freezeCut,
        Integer freezeStep,
        Boolean checkpointEveryEpoch,
        @NotNull(message = RunConfig.REQUIRED) @Min(value = 0, message = RunConfig.LOG_CHECKPOINTS_RANGE)
        @Max(value = RunConfig.MAX_LOG_CHECKPOINTS, message = RunConfig.LOG_CHECKPOINTS_RANGE) Integer logCheckpoints,
        @NotNull(message = RunConfig.REQUIRED) @Size(max = RunConfig.MAX_CHECKPOINTS,
                message = "must list at most {max} steps") List<Integer> noiseSteps,
        @NotNull(message = RunConfig.REQUIRED) @Min(value = 2, message = "must be between 2 and 4096")
        @Max(value = 4096, message = "must be between 2 and 4096") Integer noiseMinibatches,
        @Min(value = 1, message = "must be between 1 and 65536")
        @Max(value = 65_536, message = "must be between 1 and 65536") Integer noiseProjectionDim,
        @NotNull(message = RunConfig.REQUIRED) @OneOf(Choice.DEVICE) String device,
        String dataDir,
        Boolean download,
        @NotNull(message = RunConfig.REQUIRED) @OneOf(Choice.EVAL_SUBSET) String evalSubset,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Size(min = RunConfig.MIN_EVAL_INDICES,
                max = RunConfig.MAX_EVAL_INDICES, message = "must list between {min} and {max} indices")
        List<Integer> evalIndices,
        @JsonInclude(JsonInclude.Include.NON_NULL) @NotNull(message = RunConfig.REQUIRED)
        @Size(min = 1, max = EvalPlan.MAX_NAMES, message = RunConfig.NAMES_RANGE) List<String> evalSets,
        @JsonInclude(JsonInclude.Include.NON_NULL) @NotNull(message = RunConfig.REQUIRED)
        @Size(min = 1, max = EvalPlan.MAX_NAMES, message = RunConfig.NAMES_RANGE) List<String> bnModes,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Size(min = 1, max = EvalPlan.MAX_NAMES, message = RunConfig.NAMES_RANGE) List<String> cuts) {

    public static final Set<String> ARCHITECTURES = Architectures.NAMES;
    public static final Set<String> DATASETS = DatasetInfo.KNOWN.keySet();
    public static final Set<String> OPTIMIZERS = Set.of("sgd", "adam");
    public static final Set<String> SCHEDULES = Set.of("constant", "step", "cosine");
    public static final Set<String> AUGMENTATIONS = Set.of("none", "crop", "flip", "crop+flip");
    public static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");
    public static final Set<String> EVAL_SUBSETS = Set.copyOf(WireName.wireNames(EvalSubset.class));

    /** The most optimizer steps a run may ask for. */
    public static final int MAX_STEPS = 10_000_000;
    /** The most checkpoints the interval alone may give. */
    public static final int MAX_INTERVAL_CHECKPOINTS = 200;
    /** The most checkpoints of the whole schedule (interval, epochs, log-spaced, last step). */
    public static final int MAX_CHECKPOINTS = 400;
    /** The most log-spaced early checkpoints. */
    public static final int MAX_LOG_CHECKPOINTS = 50;
    /** The most learning-rate milestones. */
    public static final int MAX_MILESTONES = 100;
    /** The fewest evalIndices (the least evalSize). */
    public static final int MIN_EVAL_INDICES = 10;
    /**
     * The most evalIndices: the largest test split (svhn's), so that every test image can be listed while the bound
     * is checked before the list is walked (the list travels in every event that carries the configuration).
     */
    public static final int MAX_EVAL_INDICES = 26_032;
    /** The most entries of one projected noise matrix (minibatches x projected dimension): 256 MB of float32. */
    public static final long MAX_NOISE_ENTRIES = 1L << 26;

    static final String REQUIRED = "is required";
    /** The bound of a list of the evaluation plan, as {@link EvalPlan#problems} words it too. */
    static final String NAMES_RANGE = "must list between {min} and {max} names";
    static final String STEPS_RANGE = "must be between 1 and " + MAX_STEPS;
    static final String LOG_CHECKPOINTS_RANGE = "must be between 0 and " + MAX_LOG_CHECKPOINTS;
    /** The record's components in declaration order: the order in which {@link #validate()} reports fields. */
    private static final List<String> FIELDS = java.util.Arrays.stream(RunConfig.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    /** The configuration of the first version: the fields a client of that version sends. */
    public RunConfig(String architecture, Double widthMultiplier, String dataset, Integer steps, Integer batchSize,
            Double learningRate, Double momentum, Integer checkpointInterval, Long seed, Integer trainSize,
            Integer evalSize) {
        this(architecture, widthMultiplier, dataset, steps, batchSize, learningRate, momentum, checkpointInterval,
                seed, trainSize, evalSize, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The configuration before the evaluation subset: every field but {@code evalSubset} and {@code evalIndices}. */
    public RunConfig(String architecture, Double widthMultiplier, String dataset, Integer steps, Integer batchSize,
            Double learningRate, Double momentum, Integer checkpointInterval, Long seed, Integer trainSize,
            Integer evalSize, String shortcut, String optimizer, Boolean nesterov, Double weightDecay,
            String lrSchedule, List<Integer> lrMilestones, Double lrGamma, Integer warmupSteps, Integer epochs,
            String augmentation, Double labelNoise, String freezeCut, Integer freezeStep, Boolean checkpointEveryEpoch,
            Integer logCheckpoints, List<Integer> noiseSteps, Integer noiseMinibatches, Integer noiseProjectionDim,
            String device, String dataDir, Boolean download) {
        this(architecture, widthMultiplier, dataset, steps, batchSize, learningRate, momentum, checkpointInterval,
                seed, trainSize, evalSize, shortcut, optimizer, nesterov, weightDecay, lrSchedule, lrMilestones, lrGamma,
                warmupSteps, epochs, augmentation, labelNoise, freezeCut, freezeStep, checkpointEveryEpoch,
                logCheckpoints, noiseSteps, noiseMinibatches, noiseProjectionDim, device, dataDir, download, null, null,
                null, null, null);
    }

    /** The configuration before the evaluation plan: every field but {@code evalSets}, {@code bnModes}, {@code cuts}. */
    public RunConfig(String architecture, Double widthMultiplier, String dataset, Integer steps, Integer batchSize,
            Double learningRate, Double momentum, Integer checkpointInterval, Long seed, Integer trainSize,
            Integer evalSize, String shortcut, String optimizer, Boolean nesterov, Double weightDecay,
            String lrSchedule, List<Integer> lrMilestones, Double lrGamma, Integer warmupSteps, Integer epochs,
            String augmentation, Double labelNoise, String freezeCut, Integer freezeStep, Boolean checkpointEveryEpoch,
            Integer logCheckpoints, List<Integer> noiseSteps, Integer noiseMinibatches, Integer noiseProjectionDim,
            String device, String dataDir, Boolean download, String evalSubset, List<Integer> evalIndices) {
        this(architecture, widthMultiplier, dataset, steps, batchSize, learningRate, momentum, checkpointInterval,
                seed, trainSize, evalSize, shortcut, optimizer, nesterov, weightDecay, lrSchedule, lrMilestones, lrGamma,
                warmupSteps, epochs, augmentation, labelNoise, freezeCut, freezeStep, checkpointEveryEpoch,
                logCheckpoints, noiseSteps, noiseMinibatches, noiseProjectionDim, device, dataDir, download, evalSubset,
                evalIndices, null, null, null);
    }

    /** Fills the defaults of every field the user left out. */
    public RunConfig withDefaults() {
        String ds = dataset == null ? "synthetic" : dataset;
        DatasetInfo info = DatasetInfo.of(ds).orElse(null);
        int batch = batchSize == null ? 64 : batchSize;
        Integer train = trainSize != null ? trainSize
                : info == null || !info.fromFiles() ? Integer.valueOf(4000) : Integer.valueOf(info.trainSize());
        Integer resolvedSteps = steps;
        if (resolvedSteps == null) {
            resolvedSteps = epochs == null ? 200 : (int) Math.min(Integer.MAX_VALUE,
                    (long) epochs * stepsPerEpoch(train, batch));
        }
        String aug = augmentation == null || "auto".equals(augmentation)
                ? (info == null ? "none" : info.defaultAugmentation()) : augmentation;
        List<Integer> indices = evalIndices == null || evalIndices.isEmpty() ? null : evalIndices;
        String subset = evalSubset != null ? evalSubset
                : indices != null ? EvalSubset.INDICES.wire() : EvalSubset.STRATIFIED.wire();
        Integer eval = evalSize != null ? evalSize
                : EvalSubset.INDICES.wire().equals(subset) && indices != null ? Integer.valueOf(indices.size())
                : Integer.valueOf(500);
        String arch = architecture == null ? "resnet20" : architecture;
        double noise = labelNoise == null ? 0.0 : labelNoise;
        String networkArch = "B".equals(shortcut) && Architectures.isKnown(arch + Architectures.OPTION_B_SUFFIX)
                ? arch + Architectures.OPTION_B_SUFFIX : arch;
        List<String> sets = EvalPlan.withNoisyTrain(evalSets == null ? EvalPlan.defaultEvalSets(noise) : evalSets,
                noise);
        List<String> gridCuts = cuts != null ? cuts
                : Architectures.isKnown(networkArch) ? Architectures.defaultCuts(networkArch) : null;
        return new RunConfig(arch,
                widthMultiplier == null ? 1.0 : widthMultiplier, ds, resolvedSteps, batch,
                learningRate == null ? 0.05 : learningRate, momentum == null ? 0.9 : momentum,
                checkpointInterval == null ? 50 : checkpointInterval, seed == null ? 1L : seed, train,
                eval, shortcut == null ? "A" : shortcut,
                optimizer == null ? "sgd" : optimizer, nesterov == null ? Boolean.FALSE : nesterov,
                weightDecay == null ? 5e-4 : weightDecay, lrSchedule == null ? "constant" : lrSchedule,
                lrMilestones == null ? List.of() : lrMilestones, lrGamma == null ? 0.1 : lrGamma,
                warmupSteps == null ? 0 : warmupSteps, epochs, aug, labelNoise == null ? 0.0 : labelNoise, freezeCut,
                freezeCut == null ? freezeStep : (freezeStep == null ? Integer.valueOf(0) : freezeStep),
                checkpointEveryEpoch == null ? Boolean.FALSE : checkpointEveryEpoch,
                logCheckpoints == null ? 0 : logCheckpoints, noiseSteps == null ? List.of() : noiseSteps,
                noiseMinibatches == null ? 64 : noiseMinibatches, noiseProjectionDim, device == null ? "auto" : device,
                dataDir, download == null ? Boolean.FALSE : download, subset, indices, sets,
                bnModes == null ? EvalPlan.DEFAULT_BN_MODES : bnModes, gridCuts);
    }

    /**
     * This configuration with another evaluation subset (the other fields as they are): what an import, which has
     * no configuration of its own, is evaluated with.
     */
    public RunConfig withEvalSubset(String subset, List<Integer> indices) {
        return new RunConfig(architecture, widthMultiplier, dataset, steps, batchSize, learningRate, momentum,
                checkpointInterval, seed, trainSize, evalSize, shortcut, optimizer, nesterov, weightDecay, lrSchedule,
                lrMilestones, lrGamma, warmupSteps, epochs, augmentation, labelNoise, freezeCut, freezeStep,
                checkpointEveryEpoch, logCheckpoints, noiseSteps, noiseMinibatches, noiseProjectionDim, device, dataDir,
                download, subset, indices, evalSets, bnModes, cuts);
    }

    /**
     * This configuration with another evaluation plan (the other fields as they are): what an import is evaluated
     * with, the plan its request resolved.
     */
    public RunConfig withEvalPlan(EvalPlan plan) {
        return new RunConfig(architecture, widthMultiplier, dataset, steps, batchSize, learningRate, momentum,
                checkpointInterval, seed, trainSize, evalSize, shortcut, optimizer, nesterov, weightDecay, lrSchedule,
                lrMilestones, lrGamma, warmupSteps, epochs, augmentation, labelNoise, freezeCut, freezeStep,
                checkpointEveryEpoch, logCheckpoints, noiseSteps, noiseMinibatches, noiseProjectionDim, device, dataDir,
                download, evalSubset, evalIndices, plan.evalSets(), plan.bnModes(), plan.cuts());
    }

    /** The evaluation plan as given (a field is null when not given: before defaults, or in an old event). */
    public EvalPlan evalPlan() {
        return new EvalPlan(evalSets, bnModes, cuts);
    }

    /**
     * The evaluation subset, typed: the named one, else {@code indices} when evalIndices are listed, else
     * {@code stratified} (so also before defaults).
     *
     * @throws IllegalArgumentException for a name outside {@link #EVAL_SUBSETS}
     */
    public EvalSubset evalSubsetValue() {
        return EvalSubset.of(evalSubset, evalIndices);
    }

    /** Steps in one pass over the training set (the last partial batch is dropped). */
    public static int stepsPerEpoch(int trainSize, int batchSize) {
        return Math.max(1, trainSize / Math.max(1, Math.min(batchSize, trainSize)));
    }

    /** Steps per epoch of this (defaulted) configuration. */
    public int stepsPerEpoch() {
        return stepsPerEpoch(trainSize, batchSize);
    }

    /** The network spec's architecture name: option B shortcuts carry the suffix {@code -b}. */
    public String networkArchitecture() {
        return "B".equals(shortcut) ? architecture + Architectures.OPTION_B_SUFFIX : architecture;
    }

    /**
     * Every problem with this configuration (after defaults), one per field, in the order of the fields; empty when
     * valid. The rules are the Bean Validation constraints of the components (one field alone) and the
     * {@code is<Field>...()} methods below (a field against others), run by {@link Contracts}; every bound is checked
     * in constant time, so even {@code steps=2147483647} is refused at once: the checkpoint schedule is counted
     * arithmetically ({@link #checkpointCount()}), never enumerated.
     */
    public List<FieldError> validate() {
        Map<String, FieldError> byField = new TreeMap<>(Comparator.comparingInt(FIELDS::indexOf));
        for (ConstraintViolation<RunConfig> v : Contracts.violations(this)) {
            String field = fieldOf(v.getPropertyPath().toString());
            FieldError error = new FieldError(field, v.getMessage());
            // one problem a field: the first by message, so the answer does not depend on the validator's order
            byField.merge(field, error, (a, b) -> a.message().compareTo(b.message()) <= 0 ? a : b);
        }
        // the plan's rules name the value that is wrong, so they are checked in code (a field gets one problem)
        boolean knownArchitecture = architecture != null && ARCHITECTURES.contains(architecture)
                && !byField.containsKey("shortcut");
        List<String> knownCuts = knownArchitecture ? Architectures.cuts(networkArchitecture()) : null;
        // a labelNoise out of range is its own field's problem: train-noisy is then not judged by it
        double noise = labelNoise == null ? 0 : labelNoise < 0 || labelNoise > 1 ? 1 : labelNoise;
        for (FieldError e : evalPlan().problems(noise, dataset, knownCuts, networkArchitecture(),
                java.util.EnumSet.allOf(io.splicelab.model.values.BnMode.class))) {
            byField.putIfAbsent(e.field(), e);
        }
        return List.copyOf(byField.values());
    }

    /** The field a violation names: its property, or the field a cross-field rule {@code is<Field><Rule>()} is of. */
    private static String fieldOf(String property) {
        return FIELDS.stream().filter(property::startsWith).max(Comparator.comparingInt(String::length))
                .orElse(property);
    }

    // ---- rules of one field against others; each holds when a field it needs is missing or out of its own range
    // (that field's constraint reports it), so a field gets one problem

    @AssertTrue(message = "gives a stage width below 1")
    private boolean isWidthMultiplierWideEnough() {
        return widthMultiplier == null || !(widthMultiplier > 0 && widthMultiplier <= 8)
                || Math.round(16 * widthMultiplier) >= 1;
    }

    @AssertTrue(message = "gives more than " + MAX_INTERVAL_CHECKPOINTS + " checkpoints; raise it")
    private boolean isCheckpointIntervalCoarseEnough() {
        return !stepsInRange() || checkpointInterval == null || checkpointInterval < 1
                || steps / checkpointInterval <= MAX_INTERVAL_CHECKPOINTS;
    }

    @AssertTrue(message = "must be between 10 and the dataset's training examples (1000000 when generated)")
    private boolean isTrainSizeWithinDataset() {
        if (trainSize == null) {
            return true;
        }
        DatasetInfo info = dataset == null ? null : DatasetInfo.of(dataset).orElse(null);
        int maxTrain = info != null && info.fromFiles() ? info.trainSize() : 1_000_000;
        return trainSize >= 10 && trainSize <= maxTrain;
    }

    @AssertTrue(message = "option B exists only for the ResNets")
    private boolean isShortcutOfTheArchitecture() {
        return !"B".equals(shortcut) || architecture == null || architecture.startsWith("resnet");
    }

    @AssertTrue(message = "needs the sgd optimizer with momentum > 0")
    private boolean isNesterovWithMomentum() {
        return !Boolean.TRUE.equals(nesterov) || "sgd".equals(optimizer) && momentum != null && momentum != 0;
    }

    @AssertTrue(message = "must be steps between 1 and steps")
    private boolean isLrMilestonesWithinSteps() {
        return lrMilestones == null || lrMilestones.size() > MAX_MILESTONES || steps == null
                || lrMilestones.stream().allMatch(m -> m != null && m >= 1 && m <= steps);
    }

    @AssertTrue(message = "the step schedule needs at least one milestone")
    private boolean isLrMilestonesGivenForTheStepSchedule() {
        return !"step".equals(lrSchedule) || lrMilestones == null || !lrMilestones.isEmpty();
    }

    @AssertTrue(message = "must be between 0 and steps")
    private boolean isWarmupStepsWithinSteps() {
        return warmupSteps == null || steps == null || warmupSteps <= steps;
    }

    @AssertTrue(message = "must be at least 1 and agree with steps (trainSize / batchSize steps per epoch); give one "
            + "of them")
    private boolean isEpochsAgreeingWithSteps() {
        return epochs == null || steps == null || trainSize == null || batchSize == null
                || epochs >= 1 && (long) epochs * stepsPerEpoch() == steps;
    }

    @AssertTrue(message = "is not a cut of the architecture")
    private boolean isFreezeCutOfTheArchitecture() {
        return freezeCut == null || architecture == null || !ARCHITECTURES.contains(architecture)
                || Architectures.hasCut(networkArchitecture(), freezeCut);
    }

    @AssertTrue(message = "must be between 0 and steps")
    private boolean isFreezeStepWithinSteps() {
        return freezeCut == null || freezeStep == null || freezeStep >= 0 && (steps == null || freezeStep <= steps);
    }

    @AssertTrue(message = "needs a freezeCut")
    private boolean isFreezeStepOfAFreezeCut() {
        return freezeCut != null || freezeStep == null;
    }

    @AssertTrue(message = "gives more than " + MAX_CHECKPOINTS + " checkpoints")
    private boolean isCheckpointEveryEpochWithinTheCheckpoints() {
        return !scheduleInRange() || steps / checkpointInterval > MAX_INTERVAL_CHECKPOINTS
                || checkpointCount() <= MAX_CHECKPOINTS;
    }

    @AssertTrue(message = "must be checkpoint steps")
    private boolean isNoiseStepsCheckpointSteps() {
        return noiseSteps == null || noiseSteps.size() > MAX_CHECKPOINTS || !scheduleInRange()
                || noiseSteps.stream().allMatch(s -> s != null && isCheckpointStep(s));
    }

    @AssertTrue(message = "times noiseMinibatches must be at most " + MAX_NOISE_ENTRIES
            + " (the noise matrix is held in memory)")
    private boolean isNoiseProjectionDimWithinMemory() {
        return noiseProjectionDim == null || noiseProjectionDim < 1 || noiseProjectionDim > 65_536
                || noiseSteps == null || noiseSteps.isEmpty() || noiseMinibatches == null || noiseMinibatches < 2
                || (long) noiseMinibatches * noiseProjectionDim <= MAX_NOISE_ENTRIES;
    }

    @AssertTrue(message = "is required for evalSubset indices")
    private boolean isEvalIndicesGivenForTheIndicesSubset() {
        return !EvalSubset.INDICES.wire().equals(evalSubset) || evalIndices != null;
    }

    @AssertTrue(message = "are only read with evalSubset indices")
    private boolean isEvalIndicesOnlyForTheIndicesSubset() {
        return evalIndices == null || evalIndices.isEmpty() || evalSubset == null
                || !EVAL_SUBSETS.contains(evalSubset) || EvalSubset.INDICES.wire().equals(evalSubset);
    }

    @AssertTrue(message = "must be indices into the dataset's test split (0 to its size - 1)")
    private boolean isEvalIndicesWithinTheTestSplit() {
        DatasetInfo info = dataset == null ? null : DatasetInfo.of(dataset).orElse(null);
        if (!evalIndicesListable() || info == null) {
            return true;
        }
        int size = info.testSize();
        return evalIndices.stream().allMatch(i -> i != null && i >= 0 && i < size);
    }

    @AssertTrue(message = "must be distinct")
    private boolean isEvalIndicesDistinct() {
        return !evalIndicesListable() || new HashSet<>(evalIndices).size() == evalIndices.size();
    }

    @AssertTrue(message = "must be the number of evalIndices (or be left out) for evalSubset indices")
    private boolean isEvalSizeTheNumberOfEvalIndices() {
        return evalSize == null || evalIndices == null || !EvalSubset.INDICES.wire().equals(evalSubset)
                || evalSize == evalIndices.size();
    }

    /** Whether the evalIndices are within their bounded length, so that they may be walked. */
    private boolean evalIndicesListable() {
        return evalIndices != null && evalIndices.size() <= MAX_EVAL_INDICES;
    }

    @AssertTrue(message = "the synthetic dataset is generated, not downloaded")
    private boolean isDownloadOfFiles() {
        DatasetInfo info = dataset == null ? null : DatasetInfo.of(dataset).orElse(null);
        return !Boolean.TRUE.equals(download) || info == null || info.fromFiles();
    }

    private boolean stepsInRange() {
        return steps != null && steps >= 1 && steps <= MAX_STEPS;
    }

    /** Whether the schedule's parts are in range, so that it may be looked at (counted, never enumerated). */
    private boolean scheduleInRange() {
        return stepsInRange() && checkpointInterval != null && checkpointInterval >= 1 && logCheckpoints != null
                && logCheckpoints >= 0 && logCheckpoints <= MAX_LOG_CHECKPOINTS;
    }

    /**
     * The steps at which checkpoints are written: 0, every interval, the last step, and (when asked)
     * the end of every epoch and log-spaced early steps.
     */
    public List<Integer> checkpointSteps() {
        TreeSet<Integer> out = new TreeSet<>();
        for (long s = 0; s < steps; s += checkpointInterval) {
            out.add((int) s);
        }
        out.add(steps);
        if (Boolean.TRUE.equals(checkpointEveryEpoch)) {
            int spe = stepsPerEpoch();
            for (long s = spe; s <= steps; s += spe) {
                out.add((int) s);
            }
        }
        out.addAll(earlySteps());
        return List.copyOf(out);
    }

    /**
     * The number of checkpoints {@link #checkpointSteps()} gives, computed arithmetically (constant time, whatever
     * {@code steps} is), so validating a huge request never enumerates its schedule. Needs
     * {@code checkpointInterval >= 1}, {@code steps >= 1} and at most {@value #MAX_LOG_CHECKPOINTS} log-spaced
     * checkpoints.
     */
    public long checkpointCount() {
        long n = steps;
        long interval = checkpointInterval;
        // 0, interval, 2 interval, ... below the last step, and the last step itself
        long count = (n + interval - 1) / interval + 1;
        if (Boolean.TRUE.equals(checkpointEveryEpoch)) {
            long spe = stepsPerEpoch();
            long lcm = interval / gcd(interval, spe) * spe;
            count += n / spe - (n - 1) / lcm - (n % spe == 0 ? 1 : 0);
        }
        for (int s : earlySteps()) {
            if (!isBaseCheckpointStep(s)) {
                count++;
            }
        }
        return count;
    }

    /** Whether a checkpoint is written at this step, in constant time (see {@link #checkpointCount()}). */
    public boolean isCheckpointStep(int step) {
        return isBaseCheckpointStep(step) || earlySteps().contains(step);
    }

    private boolean isBaseCheckpointStep(long step) {
        if (step < 0 || step > steps) {
            return false;
        }
        if (step == steps || step % checkpointInterval == 0) {
            return true;
        }
        return Boolean.TRUE.equals(checkpointEveryEpoch) && step > 0 && step % stepsPerEpoch() == 0;
    }

    /** The distinct log-spaced early steps (at most {@value #MAX_LOG_CHECKPOINTS} are looked at). */
    private Set<Integer> earlySteps() {
        Set<Integer> out = new TreeSet<>();
        int early = logCheckpoints == null ? 0 : Math.min(logCheckpoints, MAX_LOG_CHECKPOINTS);
        int horizon = Math.min(checkpointInterval, steps);
        for (int i = 0; i < early && horizon > 1; i++) {
            out.add((int) Math.max(1, Math.round(Math.pow(horizon, (double) i / early))));
        }
        return out;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** One invalid field and why. */
    public record FieldError(String field, String message) {
    }
}
