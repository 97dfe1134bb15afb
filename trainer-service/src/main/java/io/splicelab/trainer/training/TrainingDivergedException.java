package io.splicelab.trainer.training;

/** The loss became NaN or infinite: the run cannot continue and fails with this reason. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
