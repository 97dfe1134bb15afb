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
            draw(line(s));
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
            draw(line(s));
        } else {
            out.println(text);
        }
    }

    /** Draws the final state and ends the progress line. */
    public void finish(FollowState s) {
        if (terminal) {
            draw(line(s));
            out.println();
            barShown = false;
            lastWidth = 0;
        } else {
            out.println(plainLine(s));
        }
        out.flush();
    }

    private void draw(String line) {
        String text = width > 1 && line.length() > width - 1 ? line.substring(0, width - 1) : line;
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

    /** The terminal progress line. */
    public static String line(FollowState s) {
        StringBuilder b = new StringBuilder();
        if (s.totalSteps() > 0) {
            double f = (double) s.step() / s.totalSteps();
            b.append("train ").append(bar(f, BAR_WIDTH)).append(' ')
                    .append(String.format(Locale.ROOT, "%3d%% %d/%d", (int) Math.floor(f * 100), s.step(), s.totalSteps()));
        } else {
            b.append("train ").append(bar(0, BAR_WIDTH)).append(" waiting for the trainer");
        }
        b.append(metrics(s).replace("  ", " "));
        b.append(" | ckpt ").append(checkpointCount(s));
        if (s.gridProgress().isPresent()) {
            b.append(" | ").append(hybrids(s));
        } else {
            b.append(" | cells ").append(cells(s));
        }
        if (!s.servicesNotUp().isEmpty()) {
            b.append(" | down: ").append(String.join(", ", s.servicesNotUp()));
        }
        return b.toString();
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
