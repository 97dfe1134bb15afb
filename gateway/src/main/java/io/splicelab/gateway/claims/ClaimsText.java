package io.splicelab.gateway.claims;

import io.splicelab.gateway.claims.ClaimsReport.Claim;
import java.util.Locale;

/** The claims report as text, as {@code ./splicelab claims} prints it: one block per claim. Pure. */
public final class ClaimsText {
    private ClaimsText() {
    }

    public static String render(ClaimsReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "The paper's claims on experiment %s (%s): %d of %d runs settled%s, "
                + "alpha %.2f%n", report.name(), report.experimentId(), report.settled(), report.runs(),
                report.complete() ? "" : " (provisional: only settled runs count)", report.alpha()));
        for (Claim c : report.claims()) {
            out.append(System.lineSeparator());
            out.append("Claim ").append(c.id()).append(": ").append(c.verdict().wire().toUpperCase(Locale.ROOT))
                    .append(System.lineSeparator());
            out.append("  ").append(c.claim()).append(System.lineSeparator());
            out.append("  ").append(c.finding()).append(System.lineSeparator());
            for (String todo : c.conclusiveIf()) {
                out.append("  to be conclusive: ").append(todo).append(System.lineSeparator());
            }
        }
        return out.toString();
    }
}
