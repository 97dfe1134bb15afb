package io.splicelab.gateway.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.gateway.hybrids.HybridGrid;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.readmodel.CheckpointEntity;
import io.splicelab.gateway.readmodel.EventLogEntity;
import io.splicelab.gateway.readmodel.ExperimentMemberEntity;
import io.splicelab.gateway.readmodel.GroupMemberEntity;
import io.splicelab.gateway.readmodel.ProgressEntity;
import io.splicelab.gateway.readmodel.RunStatus;
import io.splicelab.gateway.readmodel.TcSummaryEntity;
import io.splicelab.gateway.runs.RunViews.ProgressView;
import io.splicelab.gateway.runs.RunViews.RunPage;
import io.splicelab.gateway.runs.RunViews.SummariesView;
import io.splicelab.gateway.runs.RunViews.SummaryView;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import java.util.Locale;
import io.splicelab.gateway.readmodel.GridProgressEntity;
import io.splicelab.gateway.readmodel.HybridCellEntity;
import io.splicelab.gateway.readmodel.RunEntity;
import io.splicelab.gateway.readmodel.StatsResultEntity;
import io.splicelab.gateway.runs.RunViews.CheckpointView;
import io.splicelab.gateway.runs.RunViews.RunDetail;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import io.splicelab.gateway.runs.RunViews.StatsResultView;
import io.splicelab.gateway.runs.RunViews.StatsView;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.values.BnMode;
import io.splicelab.model.values.EvalSet;
import io.splicelab.model.values.EvalSubset;
import io.splicelab.model.values.Metric;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read side of the read model: turns entities into the API's views. Unknown runs are a 404 problem
 * here, so every endpoint answers them the same way.
 */
@ApplicationScoped
@Transactional
public class RunQueries {
    /** The most runs on one page of {@code GET /api/runs}. */
    public static final int MAX_PAGE_SIZE = 500;
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };

    public boolean exists(String runId) {
        return RunEntity.findById(runId) != null;
    }

    public List<RunSummary> list() {
        return summariesOf(RunEntity.newestFirst());
    }

    /**
     * One page of the runs, newest first, optionally only those with a status or of an experiment group.
     *
     * @param page from 0 and {@code size} from 1 to {@link #MAX_PAGE_SIZE}: the HTTP edge's constraints check them
     * @throws ProblemException 400 naming {@code status} when it is no status
     */
    public RunPage page(String status, String groupId, int page, int size) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (status != null && !status.isBlank()) {
            RunStatus wanted;
            try {
                wanted = RunStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidParameter("status", "must be one of "
                        + Arrays.toString(RunStatus.values()));
            }
            where.append(" and status = :status");
            params.and("status", wanted);
        }
        if (groupId != null && !groupId.isBlank()) {
            where.append(" and id in (select m.runId from GroupMemberEntity m where m.groupId = :group)");
            params.and("group", groupId.strip());
        }
        PanacheQuery<RunEntity> query = RunEntity.find(where.toString(), Sort.descending("createdAt").and("id"),
                params);
        long total = query.count();
        List<RunSummary> runs = summariesOf(query.page(Page.of(page, size)).list());
        return new RunPage(runs, total, page, size);
    }

    /** The summaries of the given runs (those that exist), in the given order. */
    public List<RunSummary> summaries(List<String> runIds) {
        return summariesOf(runIds.stream().map(id -> (RunEntity) RunEntity.findById(id)).filter(r -> r != null).toList());
    }

    /** The run's status, 404 when unknown. */
    public RunStatus status(String runId) {
        return require(runId).status;
    }

    public List<CheckpointView> checkpoints(String runId) {
        require(runId);
        return checkpointViews(runId);
    }

    /** The run's checkpoints with their accuracies from the grid's diagonal. */
    private static List<CheckpointView> checkpointViews(String runId) {
        Map<Integer, List<RunViews.CheckpointAccuracy>> byStep = new TreeMap<>();
        for (HybridCellEntity c : HybridCellEntity.diagonalOfRun(runId)) {
            Double accuracy = metrics(c.metricsJson).get(Metric.ACCURACY.wire());
            if (accuracy == null) {
                continue;
            }
            boolean carry = BnMode.CARRY.wire().equals(c.bnMode);
            List<RunViews.CheckpointAccuracy> list = byStep.computeIfAbsent(c.shallowStep, s -> new ArrayList<>());
            if (carry && list.stream().anyMatch(a -> a.evalSet().equals(c.evalSet) && a.cut() == null)) {
                continue; // carried statistics: the same plain checkpoint at every cut
            }
            list.add(new RunViews.CheckpointAccuracy(c.evalSet, c.bnMode, carry ? null : c.cut, accuracy, c.samples,
                    c.evalSubset, c.deepDonorAtChance));
        }
        return CheckpointEntity.ofRun(runId).stream().map(c -> {
            List<RunViews.CheckpointAccuracy> accuracies = byStep.getOrDefault(c.step, List.of());
            Double test = accuracies.stream().filter(a -> a.cut() == null && EvalSet.TEST.wire().equals(a.evalSet()))
                    .map(RunViews.CheckpointAccuracy::accuracy).findFirst().orElse(null);
            return new CheckpointView(c.step, c.index, c.trainLoss, c.trainAccuracy, c.artifactUri, test, accuracies);
        }).toList();
    }

    public List<ProgressView> progress(String runId) {
        require(runId);
        return ProgressEntity.ofRun(runId).stream().map(p -> new ProgressView(p.step, p.totalSteps, p.loss,
                p.accuracy, p.learningRate, p.imagesPerSecond, p.recoveries)).toList();
    }

    public SummariesView summaries(String runId) {
        require(runId);
        return new SummariesView(runId, TcSummaryEntity.ofRun(runId).stream()
                .map(t -> {
                    JsonNode variants = json(t.variantsJson);
                    return new SummaryView(t.cut, t.evalSet, t.bnMode, steps(t.steps), json(t.curveJson), t.tcScore,
                            t.dropLag, t.threshold, t.updatedAt, t.tcExcludingInitial, t.initialStep, t.chancePairs,
                            variants == null ? null : variants.get("all"),
                            variants == null ? null : variants.get("excludingInitial"));
                })
                .toList());
    }

    private static List<RunSummary> summariesOf(List<RunEntity> runs) {
        Map<String, RunLabels> labels = RunAnnotations.of(runs.stream().map(r -> r.id).toList());
        return runs.stream().map(r -> summary(r, labels.getOrDefault(r.id, RunLabels.NONE))).toList();
    }

    private static RunSummary summary(RunEntity r, RunLabels labels) {
        return new RunSummary(r.id, r.status.name(), json(r.configJson), r.step, r.totalSteps, r.loss, r.accuracy,
                r.imagesPerSecond, r.failure, r.createdAt, r.updatedAt, groupOf(r.id), r.finalTestAccuracy,
                r.finalTestSamples, labels.name(), labels.tags());
    }

    private static String groupOf(String runId) {
        return GroupMemberEntity.ofRun(runId).map(m -> m.groupId).orElse(null);
    }

    public RunDetail detail(String runId) {
        RunEntity r = require(runId);
        RunLabels labels = RunAnnotations.of(runId);
        List<CheckpointView> checkpoints = checkpointViews(runId);
        return new RunDetail(r.id, r.status.name(), json(r.configJson), r.step, r.totalSteps, r.loss, r.accuracy,
                r.imagesPerSecond, checkpoints, HybridCellEntity.countOfRun(runId), grid(runId), r.failure,
                r.createdAt, r.updatedAt, groupOf(runId), evalSubset(r.configJson), r.finalTestAccuracy,
                r.finalTestSamples, labels.name(), labels.tags(), labels.notes(),
                ExperimentMemberEntity.ofRun(runId).map(m -> m.experimentId).orElse(null), r.recoveries);
    }

    /**
     * The description of a run's test subset (what the cells of {@code test} and its corrupted copies record), from
     * its configuration; null when the gateway has none or cannot read it.
     */
    static String evalSubset(String configJson) {
        if (configJson == null) {
            return null;
        }
        try {
            return EvalSubset.describeTest(EventCodec.mapper().readValue(configJson, RunConfig.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The latest grid progress the splicer reported for the run, or null before its first. */
    static RunViews.GridView grid(String runId) {
        GridProgressEntity g = GridProgressEntity.findById(runId);
        return g == null ? null : new RunViews.GridView(g.status, g.gridCellsComputed, g.gridCellsExpected,
                g.checkpoints, g.step, g.stepCellsComputed, g.stepCellsExpected, g.reason, g.updatedAt);
    }

    /** The run's hybrid grid filtered by the query; 404 for an unknown run, 400 for an unknown cut or metric. */
    public HybridGrid.View hybrids(String runId, HybridGrid.Query query) {
        require(runId);
        List<Integer> steps = CheckpointEntity.ofRun(runId).stream().map(c -> c.step).toList();
        List<HybridGrid.Cell> cells = HybridCellEntity.ofRun(runId).stream()
                .map(c -> new HybridGrid.Cell(c.cut, c.evalSet, c.bnMode, c.precision, c.shallowStep, c.deepStep,
                        c.samples, metrics(c.metricsJson), c.evalSubset, c.deepDonorAtChance))
                .toList();
        return HybridGrid.build(runId, steps, cells, query);
    }

    public StatsView stats(String runId, String analysis) {
        require(runId);
        List<StatsResultView> results = StatsResultEntity.ofRun(runId).stream()
                .filter(s -> analysis == null || analysis.equals(s.analysis))
                .map(s -> new StatsResultView(s.analysis, blankToNull(s.source), blankToNull(s.cut),
                        blankToNull(s.probeSet), blankToNull(s.evalSet), blankToNull(s.bnMode), steps(s.steps), s.shape,
                        json(s.parametersJson), json(s.valuesJson), s.updatedAt))
                .toList();
        return new StatsView(runId, results);
    }

    /** The run's stored envelopes in the order they were applied, for replay to a late stream client. */
    public List<Envelope> storedEvents(String runId) {
        return EventLogEntity.ofRun(runId).stream().map(e -> read(e.envelopeJson, Envelope.class)).toList();
    }

    private static String blankToNull(String name) {
        return name == null || name.isEmpty() ? null : name;
    }

    private static RunEntity require(String runId) {
        RunEntity run = RunEntity.findById(runId);
        if (run == null) {
            throw ProblemException.notFound("no run " + runId);
        }
        return run;
    }

    private static List<Integer> steps(String steps) {
        return steps.isEmpty() ? List.of() : Arrays.stream(steps.split(",")).map(Integer::valueOf).toList();
    }

    private static Map<String, Double> metrics(String json) {
        try {
            return new TreeMap<>(EventCodec.mapper().readValue(json, METRICS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable metrics in the read model", e);
        }
    }

    private static JsonNode json(String json) {
        return json == null ? null : read(json, JsonNode.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the read model", e);
        }
    }
}
