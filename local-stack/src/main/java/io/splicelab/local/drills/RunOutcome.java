package io.splicelab.local.drills;

/** Where a run ended: status, checkpoints, expected and lost cells, repeated events. */
public record RunOutcome(String runId, String status, int checkpoints, int expected, int lost, int duplicates) {
    public boolean complete() {
        return "COMPLETED".equals(status) && checkpoints > 0 && lost == 0 && duplicates == 0;
    }

    @Override
    public String toString() {
        return String.format("%s %s, %d checkpoints, %d/%d cells, %d repeated events", runId, status, checkpoints,
                expected - lost, expected, duplicates);
    }
}
