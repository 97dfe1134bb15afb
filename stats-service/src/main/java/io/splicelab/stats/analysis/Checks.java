package io.splicelab.stats.analysis;

/**
 * The parameter check the analyses' constructors share: a count (a window, a grid size) below its least
 * meaningful value is a configuration error, reported in the same words wherever it is made.
 */
final class Checks {
    private Checks() {
    }

    /**
     * @return {@code value} when it is at least {@code least}
     * @throws IllegalArgumentException "{@code what} must be at least {@code least}" otherwise
     */
    static int atLeast(int value, int least, String what) {
        if (value < least) {
            throw new IllegalArgumentException(what + " must be at least " + least);
        }
        return value;
    }
}
