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

    /** The datasets a benchmark can be asked for: generated images, or the real Fashion-MNIST files. */
    static final java.util.List<String> DATASETS = java.util.List.of("synthetic", "fashion-mnist");

    /** A dataset argument, checked against {@link #DATASETS}. */
    static String dataset(String name) {
        if (!DATASETS.contains(name)) {
            throw new IllegalArgumentException("dataset must be one of " + DATASETS + ", got '" + name + "'");
        }
        return name;
    }
}
