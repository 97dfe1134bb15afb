package io.splicelab.model.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a user asks for when starting a run. Validated up front so that a bad request fails at the
 * gateway, naming the field, instead of deep inside the trainer.
 *
 * @param architecture network family member, e.g. {@code resnet20}
 * @param widthMultiplier multiplies the stage widths 16/32/64
 * @param dataset dataset name, e.g. {@code synthetic}
 * @param steps number of SGD steps
 * @param batchSize minibatch size
 * @param learningRate SGD learning rate
 * @param momentum SGD momentum
 * @param checkpointInterval a checkpoint every this many steps (and at step 0 and the last step)
 * @param seed fixes initialisation, data order and the evaluation subsets
 * @param trainSize number of training examples (synthetic data only)
 * @param evalSize size of the seeded class-stratified test subset the hybrids are evaluated on
 */
public record RunConfig(String architecture, Double widthMultiplier, String dataset, Integer steps, Integer batchSize,
        Double learningRate, Double momentum, Integer checkpointInterval, Long seed, Integer trainSize,
        Integer evalSize) {

    public static final Set<String> ARCHITECTURES = Set.of("resnet20", "resnet32", "resnet56");
    public static final Set<String> DATASETS = Set.of("synthetic");

    /** Fills the defaults of every field the user left out. */
    public RunConfig withDefaults() {
        return new RunConfig(architecture == null ? "resnet20" : architecture,
                widthMultiplier == null ? 1.0 : widthMultiplier, dataset == null ? "synthetic" : dataset,
                steps == null ? 200 : steps, batchSize == null ? 64 : batchSize,
                learningRate == null ? 0.05 : learningRate, momentum == null ? 0.9 : momentum,
                checkpointInterval == null ? 50 : checkpointInterval, seed == null ? 1L : seed,
                trainSize == null ? 4000 : trainSize, evalSize == null ? 500 : evalSize);
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
        if (!DATASETS.contains(dataset)) {
            errors.add(new FieldError("dataset", "must be one of " + DATASETS.stream().sorted().toList()));
        }
        if (steps < 1 || steps > 10_000_000) {
            errors.add(new FieldError("steps", "must be between 1 and 10000000"));
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
        } else if (steps >= 1 && steps / checkpointInterval > 200) {
            errors.add(new FieldError("checkpointInterval", "gives more than 200 checkpoints; raise it"));
        }
        if (trainSize < 10 || trainSize > 1_000_000) {
            errors.add(new FieldError("trainSize", "must be between 10 and 1000000"));
        }
        if (evalSize < 10 || evalSize > 100_000) {
            errors.add(new FieldError("evalSize", "must be between 10 and 100000"));
        }
        return errors;
    }

    /** The steps at which checkpoints are written: 0, every interval, and the last step. */
    public List<Integer> checkpointSteps() {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < steps; s += checkpointInterval) {
            out.add(s);
        }
        out.add(steps);
        return out;
    }

    /** One invalid field and why. */
    public record FieldError(String field, String message) {
    }
}
