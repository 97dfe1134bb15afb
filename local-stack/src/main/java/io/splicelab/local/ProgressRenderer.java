package io.splicelab.local;

import io.splicelab.model.events.Payloads;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a run's progress. On a terminal: one line redrawn in place with a carriage return (throttled), with
 * messages printed above it. Elsewhere (a pipe, a CI log): a plain line each time training or the hybrid grid
 * passes another 10%, and the messages as lines. The text of a line is a pure function of the state.
 */
public final class ProgressRenderer {
    static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final boolean terminal;
    private final long throttleNanos;
    private final int width;
    private long lastDraw;
    private int lastWidth;
    private boolean barShown;
    private int trainingDecile = -1;
    private int hybridDecile = -1;

    /**
     * @param terminal draw in place (true when {@code System.console() != null})
     * @param throttleMillis at most one redraw per this many milliseconds on a terminal
     */
    public ProgressRenderer(PrintStream out, boolean terminal, long throttleMillis) {
        this(out, terminal, throttleMillis, 0);
    }

    /** @param width the terminal's columns: a longer progress line is cut so it never wraps (0: no limit) */
    public ProgressRenderer(PrintStream out, boolean terminal, long throttleMillis, int width) {
        this.out = out;
        this.terminal = terminal;
        this.throttleNanos = throttleMillis * 1_000_000L;
        this.width = width;
    }

    /** A renderer for this process's stdout, plain when it is not a terminal. */
    public static ProgressRenderer forStdout() {
        return forStdout(false);
    }

    /** A renderer for this process's stdout; plain when it is not a terminal or when asked to be. */
    public static ProgressRenderer forStdout(boolean plain) {
        boolean terminal = !plain && System.console() != null;
        return new ProgressRenderer(System.out, terminal, 100, terminal ? terminalWidth() : 0);
    }

    /** The terminal's columns: {@code $COLUMNS}, else {@code stty size}, else 80. */
    static int terminalWidth() {
        try {
            String env = System.getenv("COLUMNS");
            if (env != null && env.trim().matches("\\d+")) {
                return Integer.parseInt(env.trim());
            }
            Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
            if (p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
                String[] rc = new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
                if (rc.length == 2 && rc[1].matches("\\d+") && Integer.parseInt(rc[1]) > 0) {
                    return Integer.parseInt(rc[1]);
                }
            } else {
                p.destroyForcibly();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no terminal to ask
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }

    public boolean terminal() {
        return terminal;
    }

    /** Shows the state: redraws the line (terminal) or prints a line at each new 10% (plain). */
    public void update(FollowState s) {
        if (terminal) {
            long now = System.nanoTime();
            if (barShown && now - lastDraw < throttleNanos) {
                return;
            }
            lastDraw = now;
            draw(line(s, width));
        } else {
            int td = s.totalSteps() > 0 ? Math.min(10, s.step() * 10 / s.totalSteps()) : -1;
            int hd = s.hybridsExpected() > 0 ? Math.min(10, s.hybridsDone() * 10 / s.hybridsExpected()) : -1;
            if (td > trainingDecile || hd > hybridDecile) {
                trainingDecile = Math.max(td, trainingDecile);
                hybridDecile = Math.max(hd, hybridDecile);
                out.println(plainLine(s));
            }
        }
    }

    /** Prints a message line; on a terminal, above the progress line, which is then redrawn. */
    public void message(String text, FollowState s) {
        if (terminal) {
            clear();
            out.println(text);
            draw(line(s, width));
        } else {
            out.println(text);
        }
    }

    /** Draws the final state and ends the progress line. */
    public void finish(FollowState s) {
        if (terminal) {
            draw(line(s, width));
            out.println();
            barShown = false;
            lastWidth = 0;
        } else {
            out.println(plainLine(s));
        }
        out.flush();
    }

    private void draw(String line) {
        String text = width > 1 && line.length() > width - 1 ? line.substring(0, width - 1) : line; // a safety net
        int pad = Math.max(0, lastWidth - text.length());
        out.print("\r" + text + " ".repeat(pad));
        out.flush();
        lastWidth = text.length();
        barShown = true;
    }

    private void clear() {
        if (barShown) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            barShown = false;
            lastWidth = 0;
        }
    }

    // ---------------------------------------------------------------- pure text

    /** {@code [=========>          ]} for a fraction in [0, 1]. */
    public static String bar(double fraction, int width) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int full = (int) Math.floor(f * width);
        StringBuilder b = new StringBuilder(width + 2).append('[');
        b.append("=".repeat(full));
        if (full < width) {
            b.append(f > 0 ? ">" : " ");
            b.append(" ".repeat(width - full - 1));
        }
        return b.append(']').toString();
    }

    /** The terminal progress line, whole. */
    public static String line(FollowState s) {
        return line(s, 0);
    }

    /**
     * The terminal progress line in at most {@code width - 1} columns (the last one stays free, so the terminal never
     * wraps; 0: no limit). The cell counter comes first, then services that are down, training, checkpoints and
     * the training metrics: {@code cells 12/75 · step 300: 5/27 | train [====>     ]  50% 120/240 | ckpt 3/5 |
     * loss 1.235 batch acc 0.500 321 img/s}. When that is too wide, the least useful parts go first: the speed, half the
     * bar, the grid's detail, the bar, the loss, the accuracy, the checkpoints; what is still too wide is cut at the
     * end, so the cell counter always shows.
     */
    public static String line(FollowState s, int width) {
        int max = width > 1 ? width - 1 : Integer.MAX_VALUE;
        String l = "";
        for (int level = 0; level <= LAST_LEVEL; level++) {
            l = compose(s, level);
            if (l.length() <= max) {
                return l;
            }
        }
        return l.substring(0, max);
    }

    /** How many parts {@link #compose} can leave out, one more per level. */
    private static final int LAST_LEVEL = 7;

    private static String compose(FollowState s, int level) {
        boolean speed = level < 1;
        int bar = level < 2 ? BAR_WIDTH : level < 4 ? BAR_WIDTH / 2 : 0;
        boolean detail = level < 3;
        boolean loss = level < 5;
        boolean accuracy = level < 6;
        boolean checkpoints = level < 7;
        StringBuilder b = new StringBuilder("cells ");
        if (s.gridProgress().isPresent()) {
            b.append(s.hybridsDone()).append('/').append(s.hybridsExpected() > 0 ? String.valueOf(s.hybridsExpected())
                    : "?");
            if (detail) {
                b.append(gridDetail(s.gridProgress().get()));
            }
        } else {
            b.append(cells(s));
        }
        if (!s.servicesNotUp().isEmpty()) {
            b.append(" | down: ").append(String.join(", ", s.servicesNotUp()));
        }
        b.append(" | train ");
        if (s.totalSteps() > 0) {
            double f = (double) s.step() / s.totalSteps();
            if (bar > 0) {
                b.append(bar(f, bar)).append(' ');
            }
            b.append(String.format(Locale.ROOT, "%3d%% %d/%d", (int) Math.floor(f * 100), s.step(), s.totalSteps()));
        } else {
            b.append("waiting for the trainer");
        }
        if (checkpoints) {
            b.append(" | ckpt ").append(checkpointCount(s));
        }
        StringBuilder m = new StringBuilder();
        if (loss && !Double.isNaN(s.loss())) {
            m.append(String.format(Locale.ROOT, " loss %.3f", s.loss()));
        }
        if (accuracy && !Double.isNaN(s.accuracy())) {
            m.append(String.format(Locale.ROOT, " batch acc %.3f", s.accuracy()));
        }
        if (speed && !Double.isNaN(s.imagesPerSecond())) {
            m.append(String.format(Locale.ROOT, " %.0f img/s", s.imagesPerSecond()));
        }
        if (m.length() > 0) {
            b.append(" |").append(m);
        }
        return b.toString();
    }

    /** The grid's state after the cell counter: {@code  · step 300: 5/27}, {@code  · waiting}, ... */
    private static String gridDetail(Payloads.GridProgress p) {
        return switch (p.status()) {
            case Payloads.GridProgress.COMPUTING -> " \u00b7 step " + p.step() + ": " + p.stepCellsComputed() + "/"
                    + p.stepCellsExpected();
            case Payloads.GridProgress.INCOMPLETE -> " \u00b7 incomplete" + (p.reason() == null ? "" : ": " + p.reason());
            default -> " \u00b7 " + p.status();
        };
    }

    /** The checkpoints so far, and of how many when the run's schedule is known: {@code 3/5}. */
    private static String checkpointCount(FollowState s) {
        return s.checkpoints().size() + (s.expectedCheckpoints() > 0 ? "/" + s.expectedCheckpoints() : "");
    }

    /** The plain (non-terminal) progress line. */
    public static String plainLine(FollowState s) {
        StringBuilder b = new StringBuilder();
        if (s.totalSteps() > 0) {
            int pct = (int) Math.floor(100.0 * s.step() / s.totalSteps());
            b.append(String.format(Locale.ROOT, "training %3d%%  step %d/%d", pct, s.step(), s.totalSteps()));
        } else {
            b.append("training   -   waiting for the trainer");
        }
        b.append(metrics(s));
        b.append("  checkpoints ").append(checkpointCount(s));
        if (s.gridProgress().isPresent()) {
            b.append("  ").append(hybrids(s));
        } else {
            b.append("  hybrids ").append(cells(s));
            if (s.expectedCells() > 0) {
                b.append(String.format(Locale.ROOT, " (%d%%)", (int) Math.floor(100.0 * s.receivedCells() / s.expectedCells())));
            }
        }
        if (!s.servicesNotUp().isEmpty()) {
            b.append("  down: ").append(String.join(", ", s.servicesNotUp()));
        }
        return b.toString();
    }

    private static String metrics(FollowState s) {
        StringBuilder b = new StringBuilder();
        if (!Double.isNaN(s.loss())) {
            b.append(String.format(Locale.ROOT, "  loss %.3f", s.loss()));
        }
        if (!Double.isNaN(s.accuracy())) {
            b.append(String.format(Locale.ROOT, "  batch acc %.3f", s.accuracy()));
        }
        if (!Double.isNaN(s.imagesPerSecond())) {
            b.append(String.format(Locale.ROOT, "  %.0f img/s", s.imagesPerSecond()));
        }
        return b.toString();
    }

    /**
     * The splicer's progress on the grid: {@code hybrids 12/75 · checkpoint 300: 5/27}, or with the grid's state
     * when it is not computing ({@code hybrids 12/75 · waiting}, {@code hybrids 12/75 · incomplete: reason}).
     */
    public static String hybrids(FollowState s) {
        Payloads.GridProgress p = s.gridProgress().orElseThrow();
        StringBuilder b = new StringBuilder("hybrids ").append(s.hybridsDone()).append('/')
                .append(s.hybridsExpected() > 0 ? String.valueOf(s.hybridsExpected()) : "?");
        switch (p.status()) {
            case Payloads.GridProgress.COMPUTING -> b.append(" \u00b7 checkpoint ").append(p.step()).append(": ")
                    .append(p.stepCellsComputed()).append('/').append(p.stepCellsExpected());
            case Payloads.GridProgress.INCOMPLETE -> b.append(" \u00b7 incomplete")
                    .append(p.reason() == null ? "" : ": " + p.reason());
            case Payloads.GridProgress.COMPLETE -> b.append(" \u00b7 complete");
            default -> b.append(" \u00b7 ").append(p.status());
        }
        return b.toString();
    }

    private static String cells(FollowState s) {
        return s.receivedCells() + "/" + (s.expectedCells() > 0 ? String.valueOf(s.expectedCells()) : "?");
    }
}
