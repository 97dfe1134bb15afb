package io.splicelab.splicer;

import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.splicer.splicing.RunGrid;
import io.splicelab.splicer.splicing.SegmentedNet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The restore-before-add rule: whatever checkpoint event arrives (first delivery, redelivery, out of order, a
 * run evicted from memory, after a restart), every checkpoint the store has for its run goes into the grid with
 * it, so a grid never shrinks. Says which checkpoints a grid lacks, in step order, each with how to load it; the
 * delivered event's own reference wins over its stored manifest.
 */
final class StoreRestore {
    private final SplicerRecords records;
    private final CheckpointLoader loader;
    private final List<String> cuts;

    StoreRestore(SplicerRecords records, CheckpointLoader loader, List<String> cuts) {
        this.records = records;
        this.loader = loader;
        this.cuts = cuts;
    }

    /** The created checkpoints the grid lacks: the stored ones and the delivered one. */
    TreeMap<Integer, Supplier<SegmentedNet>> missing(RunGrid grid, CheckpointCreated delivered) {
        TreeMap<Integer, Supplier<SegmentedNet>> todo = new TreeMap<>();
        for (Map.Entry<Integer, String> stored : records.checkpoints(delivered.runId()).entrySet()) {
            if (!grid.contains(stored.getKey())) {
                todo.put(stored.getKey(), () -> loader.created(
                        records.readJson(stored.getValue(), CheckpointCreated.class), grid.manager()));
            }
        }
        if (!grid.contains(delivered.step())) {
            todo.put(delivered.step(), () -> loader.created(delivered, grid.manager())); // the event's own reference wins
        }
        return todo;
    }

    /** The imported checkpoints the grid lacks: the stored ones (each checked to fit again) and the delivered one. */
    TreeMap<Integer, Supplier<SegmentedNet>> missing(RunGrid grid, CheckpointImported delivered, DatasetInfo info) {
        TreeMap<Integer, Supplier<SegmentedNet>> todo = new TreeMap<>();
        for (Map.Entry<Integer, String> stored : records.imports(delivered.runId()).entrySet()) {
            if (!grid.contains(stored.getKey())) {
                todo.put(stored.getKey(), () -> {
                    CheckpointImported record = records.readJson(stored.getValue(), CheckpointImported.class);
                    return loader.imported(record, ImportFit.requireFit(record, ImportFit.config(record), cuts));
                });
            }
        }
        if (!grid.contains(delivered.step())) {
            todo.put(delivered.step(), () -> loader.imported(delivered, info));
        }
        return todo;
    }
}
