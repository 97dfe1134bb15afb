package io.splicelab.local;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them on the command line ({@code 90s}, {@code 15m}, {@code 1h30m}) and read them. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(?i)(\\d+)\\s*(ms|s|min|m|h|d)?");

    private Durations() {
    }

    /** {@code 90}, {@code 90s}, {@code 15m}, {@code 1h}, {@code 500ms} or ISO-8601 {@code PT15M}. */
    public static Duration parse(String text) {
        String t = text.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        int pos = 0;
        while (pos < t.length() && m.find(pos) && m.start() == pos) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            total = total.plus(switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            });
            pos = m.end();
        }
        if (pos != t.length() || t.isEmpty()) {
            throw new IllegalArgumentException("not a duration: " + text + " (e.g. 90s, 15m, 1h)");
        }
        return total;
    }

    /** {@code 15m}, {@code 1h30m}, {@code 90s} -> {@code 1m30s}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        if (s >= 86400) {
            b.append(s / 86400).append('d');
            s %= 86400;
        }
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
