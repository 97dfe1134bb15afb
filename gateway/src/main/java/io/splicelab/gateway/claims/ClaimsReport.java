package io.splicelab.gateway.claims;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The paper's four claims (docs/science.md section 7) judged on one experiment: per claim a verdict, the numbers
 * behind it with their uncertainty, and what would make an inconclusive verdict conclusive.
 *
 * @param complete whether every run is settled; before that the verdicts use only the settled runs
 * @param alpha the level of every test
 * @param claims claims 1 to 4, in order
 */
public record ClaimsReport(String experimentId, String name, boolean complete, int runs, int settled, double alpha,
        List<Claim> claims, Instant generatedAt) {

    /** What the numbers say about a claim. */
    public enum Verdict {
        SUPPORTED("supported"), NOT_SUPPORTED("not supported"), INCONCLUSIVE("inconclusive");

        private final String wire;

        Verdict(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }

    /**
     * One claim judged.
     *
     * @param id 1 to 4, as docs/science.md section 7 numbers them
     * @param claim the claim in the paper's words
     * @param finding one sentence with the numbers that decided the verdict
     * @param numbers the figures behind it: seeds, means, standard errors, bounds, p-values, thresholds
     * @param conclusiveIf what would make the verdict conclusive (empty when it is)
     */
    public record Claim(int id, String claim, Verdict verdict, String finding, Map<String, Object> numbers,
            List<String> conclusiveIf) {
    }
}
