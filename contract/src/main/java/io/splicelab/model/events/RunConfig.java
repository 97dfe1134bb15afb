package io.splicelab.model.events;

import io.splicelab.model.data.DatasetInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a user asks for when starting a run. Validated up front so that a bad request fails at the
 * gateway, naming the field, instead of deep inside the trainer. Every field is optional in JSON;
 * {@link #withDefaults()} fills what was left out (and resolves {@code augmentation=auto} and
 * {@code epochs} into explicit values), so the configuration a run records is the one it ran with.
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
 * @param evalSize size of the seeded class-stratified test subset the hybrids are evaluated on
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
 */
public record RunConfig(String architecture, Double widthMultiplier, String dataset, Integer steps, Integer batchSize,
        Double learningRate, Double momentum, Integer checkpointInterval, Long seed, Integer trainSize,
        Integer evalSize, String shortcut, String optimizer, Boolean nesterov, Double weightDecay, String lrSchedule,
        List<Integer> lrMilestones, Double lrGamma, Integer warmupSteps, Integer epochs, String augmentation,
        Double labelNoise, String freezeCut, Integer freezeStep, Boolean checkpointEveryEpoch, Integer logCheckpoints,
        List<Integer> noiseSteps, Integer noiseMinibatches, Integer noiseProjectionDim, String device, String dataDir,
        Boolean download) {

    public static final Set<String> ARCHITECTURES = Architectures.NAMES;
    public static final Set<String> DATASETS = DatasetInfo.KNOWN.keySet();
    public static final Set<String> OPTIMIZERS = Set.of("sgd", "adam");
    public static final Set<String> SCHEDULES = Set.of("constant", "step", "cosine");
    public static final Set<String> AUGMENTATIONS = Set.of("none", "crop", "flip", "crop+flip");
    public static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");

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
    /** The most entries of one projected noise matrix (minibatches x projected dimension): 256 MB of float32. */
    public static final long MAX_NOISE_ENTRIES = 1L << 26;

    /** The configuration of the first version: the fields a client of that version sends. */
    public RunConfig(String architecture, Double widthMultiplier, String dataset, Integer steps, Integer batchSize,
            Double learningRate, Double momentum, Integer checkpointInterval, Long seed, Integer trainSize,
            Integer evalSize) {
        this(architecture, widthMultiplier, dataset, steps, batchSize, learningRate, momentum, checkpointInterval,
                seed, trainSize, evalSize, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
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
        return new RunConfig(architecture == null ? "resnet20" : architecture,
                widthMultiplier == null ? 1.0 : widthMultiplier, ds, resolvedSteps, batch,
                learningRate == null ? 0.05 : learningRate, momentum == null ? 0.9 : momentum,
                checkpointInterval == null ? 50 : checkpointInterval, seed == null ? 1L : seed, train,
                evalSize == null ? 500 : evalSize, shortcut == null ? "A" : shortcut,
                optimizer == null ? "sgd" : optimizer, nesterov == null ? Boolean.FALSE : nesterov,
                weightDecay == null ? 5e-4 : weightDecay, lrSchedule == null ? "constant" : lrSchedule,
                lrMilestones == null ? List.of() : lrMilestones, lrGamma == null ? 0.1 : lrGamma,
                warmupSteps == null ? 0 : warmupSteps, epochs, aug, labelNoise == null ? 0.0 : labelNoise, freezeCut,
                freezeCut == null ? freezeStep : (freezeStep == null ? Integer.valueOf(0) : freezeStep),
                checkpointEveryEpoch == null ? Boolean.FALSE : checkpointEveryEpoch,
                logCheckpoints == null ? 0 : logCheckpoints, noiseSteps == null ? List.of() : noiseSteps,
                noiseMinibatches == null ? 64 : noiseMinibatches, noiseProjectionDim, device == null ? "auto" : device,
                dataDir, download == null ? Boolean.FALSE : download);
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

    /** Every problem with this configuration (after defaults), one per field; empty when valid. */
    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (!ARCHITECTURES.contains(architecture)) {
            errors.add(new FieldError("architecture", "must be one of " + ARCHITECTURES.stream().sorted().toList()));
        }
        if (!(widthMultiplier > 0 && widthMultiplier <= 8)) {
            errors.add(new FieldError("widthMultiplier", "must be in (0, 8]"));
        } else if (Math.round(16 * widthMultiplier) < 1) {
            errors.add(new FieldError("widthMultiplier", "gives a stage width below 1"));
        }
        DatasetInfo info = DatasetInfo.of(dataset).orElse(null);
        if (info == null) {
            errors.add(new FieldError("dataset", "must be one of " + DATASETS.stream().sorted().toList()));
        }
        if (steps < 1 || steps > MAX_STEPS) {
            errors.add(new FieldError("steps", "must be between 1 and " + MAX_STEPS));
        }
        if (batchSize < 1 || batchSize > 4096) {
            errors.add(new FieldError("batchSize", "must be between 1 and 4096"));
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            errors.add(new FieldError("learningRate", "must be in (0, 10]"));
        }
        if (!(momentum >= 0 && momentum < 1)) {
            errors.add(new FieldError("momentum", "must be in [0, 1)"));
        }
        if (checkpointInterval < 1) {
            errors.add(new FieldError("checkpointInterval", "must be at least 1"));
        } else if (steps >= 1 && steps <= MAX_STEPS && steps / checkpointInterval > MAX_INTERVAL_CHECKPOINTS) {
            errors.add(new FieldError("checkpointInterval", "gives more than " + MAX_INTERVAL_CHECKPOINTS
                    + " checkpoints; raise it"));
        }
        int maxTrain = info != null && info.fromFiles() ? info.trainSize() : 1_000_000;
        if (trainSize < 10 || trainSize > maxTrain) {
            errors.add(new FieldError("trainSize", "must be between 10 and " + maxTrain));
        }
        if (evalSize < 10 || evalSize > 100_000) {
            errors.add(new FieldError("evalSize", "must be between 10 and 100000"));
        }
        validateTraining(errors, info);
        return errors;
    }

    private void validateTraining(List<FieldError> errors, DatasetInfo info) {
        if (!Set.of("A", "B").contains(shortcut)) {
            errors.add(new FieldError("shortcut", "must be A or B"));
        } else if ("B".equals(shortcut) && !architecture.startsWith("resnet")) {
            errors.add(new FieldError("shortcut", "option B exists only for the ResNets"));
        }
        if (!OPTIMIZERS.contains(optimizer)) {
            errors.add(new FieldError("optimizer", "must be one of " + OPTIMIZERS.stream().sorted().toList()));
        }
        if (Boolean.TRUE.equals(nesterov) && (!"sgd".equals(optimizer) || momentum == 0)) {
            errors.add(new FieldError("nesterov", "needs the sgd optimizer with momentum > 0"));
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            errors.add(new FieldError("weightDecay", "must be in [0, 1)"));
        }
        if (!SCHEDULES.contains(lrSchedule)) {
            errors.add(new FieldError("lrSchedule", "must be one of " + SCHEDULES.stream().sorted().toList()));
        }
        if (lrMilestones.size() > MAX_MILESTONES) {
            errors.add(new FieldError("lrMilestones", "must list at most " + MAX_MILESTONES + " steps"));
        } else if (lrMilestones.stream().anyMatch(m -> m == null || m < 1 || m > steps)) {
            errors.add(new FieldError("lrMilestones", "must be steps between 1 and " + steps));
        } else if ("step".equals(lrSchedule) && lrMilestones.isEmpty()) {
            errors.add(new FieldError("lrMilestones", "the step schedule needs at least one milestone"));
        }
        if (!(lrGamma > 0 && lrGamma <= 1)) {
            errors.add(new FieldError("lrGamma", "must be in (0, 1]"));
        }
        if (warmupSteps < 0 || warmupSteps > steps) {
            errors.add(new FieldError("warmupSteps", "must be between 0 and steps"));
        }
        if (epochs != null && (epochs < 1 || (long) epochs * stepsPerEpoch() != steps)) {
            errors.add(new FieldError("epochs", "must be at least 1 and agree with steps (" + stepsPerEpoch()
                    + " steps per epoch); give one of them"));
        }
        if (!AUGMENTATIONS.contains(augmentation)) {
            errors.add(new FieldError("augmentation", "must be auto or one of "
                    + AUGMENTATIONS.stream().sorted().toList()));
        }
        if (!(labelNoise >= 0 && labelNoise <= 1)) {
            errors.add(new FieldError("labelNoise", "must be in [0, 1]"));
        }
        if (freezeCut != null) {
            if (ARCHITECTURES.contains(architecture) && !Architectures.hasCut(networkArchitecture(), freezeCut)) {
                errors.add(new FieldError("freezeCut", "is not a cut of " + architecture));
            }
            if (freezeStep < 0 || freezeStep > steps) {
                errors.add(new FieldError("freezeStep", "must be between 0 and steps"));
            }
        } else if (freezeStep != null) {
            errors.add(new FieldError("freezeStep", "needs a freezeCut"));
        }
        boolean logOk = logCheckpoints >= 0 && logCheckpoints <= MAX_LOG_CHECKPOINTS;
        if (!logOk) {
            errors.add(new FieldError("logCheckpoints", "must be between 0 and " + MAX_LOG_CHECKPOINTS));
        }
        // the schedule is only looked at when its parts are in range: counted arithmetically, never enumerated
        boolean scheduleOk = logOk && checkpointInterval >= 1 && steps >= 1 && steps <= MAX_STEPS;
        if (scheduleOk && steps / checkpointInterval <= MAX_INTERVAL_CHECKPOINTS
                && checkpointCount() > MAX_CHECKPOINTS) {
            errors.add(new FieldError("checkpointEveryEpoch", "gives more than " + MAX_CHECKPOINTS + " checkpoints"));
        }
        if (noiseSteps.size() > MAX_CHECKPOINTS) {
            errors.add(new FieldError("noiseSteps", "must list at most " + MAX_CHECKPOINTS + " steps"));
        } else if (scheduleOk && noiseSteps.stream().anyMatch(s -> s == null || !isCheckpointStep(s))) {
            errors.add(new FieldError("noiseSteps", "must be checkpoint steps"));
        }
        if (noiseMinibatches < 2 || noiseMinibatches > 4096) {
            errors.add(new FieldError("noiseMinibatches", "must be between 2 and 4096"));
        }
        if (noiseProjectionDim != null && (noiseProjectionDim < 1 || noiseProjectionDim > 65_536)) {
            errors.add(new FieldError("noiseProjectionDim", "must be between 1 and 65536"));
        } else if (noiseProjectionDim != null && !noiseSteps.isEmpty() && noiseMinibatches >= 2
                && (long) noiseMinibatches * noiseProjectionDim > MAX_NOISE_ENTRIES) {
            errors.add(new FieldError("noiseProjectionDim", "times noiseMinibatches must be at most "
                    + MAX_NOISE_ENTRIES + " (the noise matrix is held in memory)"));
        }
        if (!DEVICES.contains(device)) {
            errors.add(new FieldError("device", "must be one of " + DEVICES.stream().sorted().toList()));
        }
        if (Boolean.TRUE.equals(download) && info != null && !info.fromFiles()) {
            errors.add(new FieldError("download", "the synthetic dataset is generated, not downloaded"));
        }
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
