package io.splicelab.splicer.splicing;

/**
 * When a network's accuracy says nothing: chance is {@code 1 / numClasses}, and an accuracy measured on n images
 * that is not above chance by more than two standard errors ({@code SE = sqrt(p (1 - p) / n)}, p the chance level)
 * cannot be told from guessing (docs/science.md section 2, the chance rule). A hybrid's relative accuracy divides by
 * its deep donor's accuracy; with the donor at chance (the random initialisation, a run trained on random labels)
 * the ratio is chance over chance, about 1, which a heat map would show as perfect. Such cells get no relative
 * accuracy, are flagged, and stay out of the temporal-consistency means.
 */
public final class ChanceLevel {
    /** How many standard errors above chance an accuracy must be to count as learnt. */
    public static final double STANDARD_ERRORS = 2.0;

    private ChanceLevel() {
    }

    /**
     * @param accuracy the fraction of {@code samples} images classified correctly
     * @param numClasses the number of classes, at least 2
     * @param samples the number of images, at least 1
     * @return true when the accuracy is at most {@code 1/numClasses + 2 SE}
     */
    public static boolean atChance(double accuracy, int numClasses, int samples) {
        if (numClasses < 2 || samples < 1) {
            throw new IllegalArgumentException("need at least 2 classes and 1 sample, got " + numClasses + " and "
                    + samples);
        }
        double p = 1.0 / numClasses;
        return accuracy <= p + STANDARD_ERRORS * Math.sqrt(p * (1 - p) / samples);
    }
}
