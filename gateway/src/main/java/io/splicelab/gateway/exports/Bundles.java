package io.splicelab.gateway.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentCurvesView;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentDetail;
import io.splicelab.gateway.experiments.ExperimentViews.RunRef;
import io.splicelab.gateway.experiments.Experiments;
import io.splicelab.gateway.groups.ExperimentGroups;
import io.splicelab.gateway.groups.GroupViews.GroupDetail;
import io.splicelab.gateway.hybrids.HybridCsv;
import io.splicelab.gateway.hybrids.HybridGrid;
import io.splicelab.gateway.readmodel.CheckpointEntity;
import io.splicelab.gateway.readmodel.HybridCellEntity;
import io.splicelab.gateway.readmodel.ProgressEntity;
import io.splicelab.gateway.readmodel.StatsResultEntity;
import io.splicelab.gateway.readmodel.TcSummaryEntity;
import io.splicelab.gateway.runs.RunQueries;
import io.splicelab.gateway.runs.RunViews.RunDetail;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What goes into a bundle, the zip of everything the gateway knows about a run or a set of runs: per run its
 * configuration and every JSON and CSV view ({@link #runEntries}); for a set of runs (a group, an experiment)
 * its own description first and each run under {@code runs/<runId>/} ({@link #ofRuns}). Two budgets keep a huge run
 * from exhausting the gateway: before anything is written, the rows the views will hold (hybrid cells, progress
 * points, checkpoints, summaries, analysis results) are counted against {@code splicelab.exports.bundle.max-rows}
 * (over it: 413, nothing sent), since a view is built in memory one at a time; while streaming, the bytes against
 * {@code splicelab.exports.bundle.max-mb} ({@link BundleWriter}).
 */
@ApplicationScoped
public class Bundles {
    private static final long MB = 1024L * 1024L;

    private final RunQueries runs;
    private final ExperimentGroups groups;
    private final Experiments experiments;
    private final ObjectMapper json;
    private final long maxRows;
    private final long maxBytes;

    public Bundles(RunQueries runs, ExperimentGroups groups, Experiments experiments, ObjectMapper json,
            @ConfigProperty(name = "splicelab.exports.bundle.max-rows", defaultValue = "200000") long maxRows,
            @ConfigProperty(name = "splicelab.exports.bundle.max-mb", defaultValue = "512") long maxMb) {
        this.runs = runs;
        this.groups = groups;
        this.experiments = experiments;
        this.json = json;
        this.maxRows = maxRows;
        this.maxBytes = maxMb * MB;
    }

    /** The writer of these bundles, with the byte budget. */
    public BundleWriter writer() {
        return new BundleWriter(json, maxBytes);
    }

    /** A run's bundle; 404 for an unknown run, 413 over the row budget. */
    public BundleWriter.Bundle ofRun(String runId) {
        runs.detail(runId); // 404 first
        checkRows(rows(List.of(runId)), "run " + runId);
        return new BundleWriter.Bundle("run", runId, runEntries(runId));
    }

    /** A group's bundle: {@code group.json}, {@code runs.csv} (its runs with their factor value), then each run. */
    public BundleWriter.Bundle ofGroup(String groupId) {
        GroupDetail group = groups.detail(groupId); // 404 first
        List<RunSummary> members = group.runs().stream().map(r -> r.run()).toList();
        List<BundleEntry> head = List.of(json("group.json", () -> group),
                csv("runs.csv", () -> RunTables.groupRuns(group)));
        return ofRuns("group", groupId, head, members.stream().map(RunSummary::runId).toList());
    }

    /**
     * An experiment's bundle: {@code experiment.json} (its definition and per-variant comparison),
     * {@code variants.csv}, {@code curves.json}/{@code .csv}, {@code runs.csv} (its runs with their variant and seed),
     * then each run; 404 for an unknown experiment (by id or name).
     */
    public BundleWriter.Bundle ofExperiment(String idOrName) {
        ExperimentDetail detail = experiments.detail(idOrName); // 404 first
        ExperimentCurvesView curves = experiments.curves(detail.experimentId());
        List<RunRef> members = experiments.members(detail.experimentId());
        List<String> runIds = members.stream().map(RunRef::runId).toList();
        List<BundleEntry> head = List.of(json("experiment.json", () -> detail),
                csv("variants.csv", () -> ExperimentTables.variants(detail)),
                json("curves.json", () -> curves),
                csv("curves.csv", () -> ExperimentTables.curves(curves)),
                csv("runs.csv", () -> ExperimentTables.runs(detail.experimentId(), members, runs.summaries(runIds))));
        return ofRuns("experiment", detail.experimentId(), head, runIds);
    }

    /**
     * A bundle of a set of runs: its own entries, then each run's under {@code runs/<runId>/}; 413 when the runs
     * together are over the row budget. An experiment's bundle is this with the experiment's description.
     */
    public BundleWriter.Bundle ofRuns(String kind, String id, List<BundleEntry> head, List<String> runIds) {
        checkRows(rows(runIds), kind + " " + id);
        List<BundleEntry> entries = new ArrayList<>(head);
        for (String runId : runIds) {
            String folder = "runs/" + fileName(runId) + "/";
            runEntries(runId).forEach(e -> entries.add(e.under(folder)));
        }
        return new BundleWriter.Bundle(kind, id, entries);
    }

    /** A run's entries: its detail and configuration, then every view as JSON and CSV. */
    public List<BundleEntry> runEntries(String runId) {
        return List.of(
                json("run.json", () -> runs.detail(runId)),
                json("config.json", () -> config(runs.detail(runId))),
                json("checkpoints.json", () -> runs.checkpoints(runId)),
                csv("checkpoints.csv", () -> RunTables.checkpoints(runId, runs.checkpoints(runId))),
                json("progress.json", () -> runs.progress(runId)),
                csv("progress.csv", () -> RunTables.progress(runId, runs.progress(runId))),
                json("summaries.json", () -> runs.summaries(runId)),
                csv("summaries.csv", () -> RunTables.summaries(runs.summaries(runId))),
                json("stats.json", () -> runs.stats(runId, null)),
                csv("stats.csv", () -> RunTables.stats(runs.stats(runId, null))),
                json("hybrids.json", () -> runs.hybrids(runId, all())),
                new BundleEntry("hybrids.csv", out -> out.write(HybridCsv.write(runs.hybrids(runId, all()))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    private static Object config(RunDetail detail) {
        return detail.config() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : detail.config();
    }

    private static HybridGrid.Query all() {
        return new HybridGrid.Query(null, null, null, null);
    }

    /** A JSON entry, written as the API writes it. */
    public BundleEntry json(String name, java.util.function.Supplier<Object> view) {
        return new BundleEntry(name, out -> writeJson(view.get(), out));
    }

    /** A CSV entry. */
    public static BundleEntry csv(String name, java.util.function.Supplier<TidyCsv.Table> table) {
        return new BundleEntry(name, out -> TidyCsv.write(table.get(), out));
    }

    private void writeJson(Object value, OutputStream out) throws IOException {
        json.writerWithDefaultPrettyPrinter().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, value);
    }

    /** The rows the views of these runs hold in all. */
    @Transactional
    long rows(List<String> runIds) {
        long n = 0;
        for (String runId : runIds) {
            n += HybridCellEntity.countOfRun(runId) + ProgressEntity.count("runId", runId)
                    + CheckpointEntity.count("runId", runId) + TcSummaryEntity.count("runId", runId)
                    + StatsResultEntity.count("runId", runId);
        }
        return n;
    }

    private void checkRows(long rows, String what) {
        if (rows > maxRows) {
            throw new ProblemException(Problem.of(413, "bundle-too-large", "Bundle too large", what + " has " + rows
                    + " rows (hybrid cells, progress points, checkpoints, summaries, analysis results), over "
                    + "splicelab.exports.bundle.max-rows = " + maxRows + "; read its views one at a time"));
        }
    }

    /** A run id as a folder of the zip: as it is when plain, else hashed (the artifact store's rule). */
    static String fileName(String id) {
        return io.splicelab.model.store.RunArtifacts.keyName(id);
    }
}
