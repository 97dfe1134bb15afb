package io.splicelab.local.drills;

import java.util.List;

/**
 * Where a run ended: status, checkpoints, expected and lost cells, and the events that repeated an earlier one on
 * its stream (named, so that a failing drill says which).
 */
public record RunOutcome(String runId, String status, int checkpoints, int expected, int lost, List<String> repeated) {
    /** How many events repeated an earlier one on the run's stream. */
    public int duplicates() {
        return repeated.size();
    }

    public boolean complete() {
        return "COMPLETED".equals(status) && checkpoints > 0 && lost == 0 && repeated.isEmpty();
    }

    @Override
    public String toString() {
        String first = repeated.isEmpty() ? "" : " (first: " + abbreviate(repeated.get(0)) + ")";
        return String.format("%s %s, %d checkpoints, %d/%d cells, %d repeated events%s", runId, status, checkpoints,
                expected - lost, expected, repeated.size(), first);
    }

    private static String abbreviate(String event) {
        return event.length() <= 300 ? event : event.substring(0, 300) + "...";
    }
}
