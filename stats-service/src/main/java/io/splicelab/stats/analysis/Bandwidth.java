package io.splicelab.stats.analysis;

/**
 * How a Gaussian KDE chooses its bandwidth factor, with the rules of {@code scipy.stats.gaussian_kde}:
 * the kernel covariance is {@code factor^2} times the data covariance, so the factor is unitless. Kept as
 * a value (not a string) so that every result can record exactly which rule it was computed with.
 */
public sealed interface Bandwidth {

    /** The factor for a sample of effective size {@code neff} in {@code d} dimensions. */
    double factor(double neff, int d);

    /** The name written into result parameters: {@code scott}, {@code silverman} or the number. */
    String label();

    /** Scott's rule, {@code neff^(-1/(d+4))}: scipy's default. */
    record Scott() implements Bandwidth {
        @Override
        public double factor(double neff, int d) {
            return Math.pow(neff, -1.0 / (d + 4));
        }

        @Override
        public String label() {
            return "scott";
        }
    }

    /** Silverman's rule, {@code (neff (d+2)/4)^(-1/(d+4))}. */
    record Silverman() implements Bandwidth {
        @Override
        public double factor(double neff, int d) {
            return Math.pow(neff * (d + 2.0) / 4.0, -1.0 / (d + 4));
        }

        @Override
        public String label() {
            return "silverman";
        }
    }

    /** A given factor (not a bandwidth in data units), as when scipy's {@code bw_method} is a number. */
    record Factor(double value) implements Bandwidth {
        public Factor {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("bandwidth factor must be positive and finite: " + value);
            }
        }

        @Override
        public double factor(double neff, int d) {
            return value;
        }

        @Override
        public String label() {
            return Double.toString(value);
        }
    }

    Bandwidth SCOTT = new Scott();
    Bandwidth SILVERMAN = new Silverman();

    /** Parses scipy's {@code bw_method} spelling: {@code scott}, {@code silverman} or a number. */
    static Bandwidth parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "scott" -> SCOTT;
            case "silverman" -> SILVERMAN;
            default -> {
                try {
                    yield new Factor(Double.parseDouble(t));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bandwidth must be scott, silverman or a number: " + text);
                }
            }
        };
    }
}
