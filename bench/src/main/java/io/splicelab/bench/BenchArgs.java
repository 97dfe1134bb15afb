package io.splicelab.bench;

/**
 * The positional arguments of a benchmark's {@code main}: every benchmark takes a few optional whole
 * numbers (sizes, counts, rounds) with defaults, so that {@code ./bench/run <name>} alone gives the figures
 * quoted in the notes. A malformed one stops the run with the argument's position, not a bare
 * NumberFormatException.
 */
final class BenchArgs {
    private BenchArgs() {
    }

    /** The {@code index}-th argument as an int, or {@code fallback} when there are fewer arguments. */
    static int intArg(String[] args, int index, int fallback) {
        if (args.length <= index) {
            return fallback;
        }
        try {
            return Integer.parseInt(args[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + (index + 1) + " must be a whole number, got '"
                    + args[index] + "'", e);
        }
    }
}
