package io.splicelab.local.drills;

import java.util.List;
import java.util.Locale;

/**
 * What one drill expected and what it observed, in the figures an operator asks for after a failure: cells
 * lost and duplicated, records dead-lettered, consumer channels stopped, files read outside the artifact store.
 * A drill passes when what it observed is what it expected.
 *
 * @param cellsLost expected hybrid cells that never reached the gateway
 * @param duplicates events that repeat on a run's event stream (same type and payload)
 * @param deadLettered hostile records dead-lettered with a reason, of {@code hostile} sent
 * @param channelsStopped services whose health was DOWN at the end
 * @param filesReadOutside artifacts outside the store that a service read (a canary it processed)
 */
public record DrillReport(String name, String expected, String observed, boolean passed, int cellsExpected,
        int cellsLost, int duplicates, int hostile, int deadLettered, int channelsStopped, int filesReadOutside,
        double seconds) {

    /** The reports as a fixed-width table, one line per drill, and a last line with the totals. */
    public static String table(List<DrillReport> reports) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%-34s %-6s %7s %5s %5s %9s %8s %8s %7s%n", "drill", "result", "cells", "lost", "dupl",
                "dead-lett", "stopped", "outside", "s"));
        int lost = 0;
        int dupl = 0;
        int stopped = 0;
        int outside = 0;
        for (DrillReport r : reports) {
            out.append(String.format(Locale.ROOT, "%-34s %-6s %7d %5d %5d %4d/%-4d %8d %8d %7.1f%n", r.name(),
                    r.passed() ? "PASS" : "FAIL", r.cellsExpected(), r.cellsLost(), r.duplicates(), r.deadLettered(),
                    r.hostile(), r.channelsStopped(), r.filesReadOutside(), r.seconds()));
            lost += r.cellsLost();
            dupl += r.duplicates();
            stopped += r.channelsStopped();
            outside += r.filesReadOutside();
        }
        out.append(String.format(Locale.ROOT, "total: %d drills, %d failed; %d cells lost, %d duplicated, %d channels "
                + "stopped, %d files read outside the store%n", reports.size(),
                reports.stream().filter(r -> !r.passed()).count(), lost, dupl, stopped, outside));
        for (DrillReport r : reports) {
            out.append(String.format(Locale.ROOT, "%n%s%n  expected: %s%n  observed: %s%n", r.name(), r.expected(),
                    r.observed()));
        }
        return out.toString();
    }
}
