package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.Length;

/**
 * A temporal-consistency summary of a run's hybrid grid, upserted by its natural key (run, cut, evalSet,
 * bnMode): the splicer recomputes it as checkpoints arrive, and only the latest matters.
 */
@Entity
@Table(name = "gw_tc_summaries", uniqueConstraints = @UniqueConstraint(name = "gw_tc_summaries_natural_key",
        columnNames = {"runId", "cut", "evalSet", "bnMode"}))
public class TcSummaryEntity extends GridScopedRow {
    /** The checkpoint steps the summary covers, comma separated. */
    @Column(nullable = false, length = 4000)
    public String steps;

    /** Mean relative accuracy by lag, as a JSON object {"lag": value}. */
    @Column(length = Length.LONG32)
    public String curveJson;

    public double tcScore;
    public Integer dropLag;
    public double threshold;

    /** The TC score without the initial checkpoint; null in summaries before it (or with no such pair). */
    public Double tcExcludingInitial;

    /** The step left out as the initial checkpoint (0); null when the run has none or the summary is older. */
    public Integer initialStep;

    /** Forward pairs left out because their deep donor is at chance; null in older summaries. */
    public Integer chancePairs;

    /** Both variants ({@code all}, {@code excludingInitial}) as a JSON object; null in older summaries. */
    @Column(length = Length.LONG32)
    public String variantsJson;

    @Column(nullable = false)
    public Instant updatedAt;

    public static List<TcSummaryEntity> ofRun(String runId) {
        return list("runId", Sort.ascending("cut").and("evalSet").and("bnMode"), runId);
    }

    public static Optional<TcSummaryEntity> find(String runId, String cut, String evalSet, String bnMode) {
        return find("runId = ?1 and cut = ?2 and evalSet = ?3 and bnMode = ?4", runId, cut, evalSet, bnMode)
                .firstResultOptional();
    }
}
