package io.splicelab.trainer.training;

/** Derives independent seeds from the run's one seed, so each random stream can be recreated at any step. */
final class Seeds {
    private Seeds() {
    }

    /** A well-mixed seed for stream {@code stream} of the run seed (SplitMix64 finaliser). */
    static long mix(long seed, long stream) {
        return io.splicelab.model.data.SeededStreams.mix(seed, stream);
    }
}
