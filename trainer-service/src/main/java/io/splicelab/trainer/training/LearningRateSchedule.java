package io.splicelab.trainer.training;

import io.splicelab.model.events.RunConfig;
import java.util.List;

/**
 * The learning rate of every step as a pure function of the step, so a resumed run uses exactly the
 * rates of an uninterrupted one: linear warm-up from 0 over {@code warmupSteps}, then constant, step
 * decay (times gamma at each milestone passed) or cosine decay to 0 at the last step.
 */
public final class LearningRateSchedule {
    private final double base;
    private final String kind;
    private final List<Integer> milestones;
    private final double gamma;
    private final int warmup;
    private final int steps;

    public LearningRateSchedule(RunConfig config) {
        this(config.learningRate(), config.lrSchedule(), config.lrMilestones(), config.lrGamma(),
                config.warmupSteps(), config.steps());
    }

    public LearningRateSchedule(double base, String kind, List<Integer> milestones, double gamma, int warmup,
            int steps) {
        this.base = base;
        this.kind = kind;
        this.milestones = List.copyOf(milestones);
        this.gamma = gamma;
        this.warmup = warmup;
        this.steps = steps;
    }

    /** The rate used by step {@code step} (1-based: the update that produces the parameters of that step). */
    public double rate(int step) {
        if (warmup > 0 && step <= warmup) {
            return base * step / warmup;
        }
        return switch (kind) {
            case "step" -> base * Math.pow(gamma, milestones.stream().filter(m -> step > m).count());
            case "cosine" -> {
                int span = Math.max(1, steps - warmup);
                double t = Math.min(1.0, (double) (step - 1 - warmup) / span);
                yield base * 0.5 * (1 + Math.cos(Math.PI * t));
            }
            default -> base;
        };
    }
}
