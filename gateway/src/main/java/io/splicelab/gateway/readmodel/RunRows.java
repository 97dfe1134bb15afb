package io.splicelab.gateway.readmodel;

import io.quarkus.hibernate.orm.panache.Panache;
import java.util.List;

/**
 * Every table in which the read model keeps rows about a run, in one list: deleting a run must forget it whole, and a
 * new run-scoped table added here is forgotten with it (a table left out would keep a deleted run's rows alive).
 */
public final class RunRows {
    /** The entities with a {@code runId} column; the run's own row ({@link RunEntity}, keyed by id) goes last. */
    public static final List<Class<?>> ENTITIES = List.of(CheckpointEntity.class, HybridCellEntity.class,
            StatsResultEntity.class, TcSummaryEntity.class, ProgressEntity.class, GridProgressEntity.class,
            EventLogEntity.class, GroupMemberEntity.class, RunLabelEntity.class, ExperimentMemberEntity.class);

    private RunRows() {
    }

    /**
     * Deletes every row of the run, in the caller's transaction.
     *
     * @return whether the run itself had a row
     */
    public static boolean deleteAll(String runId) {
        for (Class<?> entity : ENTITIES) {
            Panache.getEntityManager().createQuery("delete from " + entity.getSimpleName() + " where runId = :runId")
                    .setParameter("runId", runId).executeUpdate();
        }
        return RunEntity.deleteById(runId);
    }
}
