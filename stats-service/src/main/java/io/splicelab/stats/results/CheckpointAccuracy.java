package io.splicelab.stats.results;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * The accuracy of a checkpoint on an evaluation set, taken from the diagonal cells of the hybrid grid
 * (shallow and deep part from the same checkpoint = the checkpoint itself). The run report needs train
 * and test accuracy per step to put the generalization gap next to the train/test feature distance.
 * Natural key (run, step, eval set).
 */
@Entity
@Table(name = "stats_checkpoint_accuracy",
        uniqueConstraints = @UniqueConstraint(name = "stats_checkpoint_accuracy_key",
                columnNames = {"run_id", "step", "eval_set"}))
public class CheckpointAccuracy extends RunScopedRow {
    @Column(nullable = false)
    public int step;

    @Column(name = "eval_set", nullable = false, length = 100)
    public String evalSet;

    @Column(nullable = false)
    public double accuracy;

    @Column(nullable = false)
    public int samples;
}
