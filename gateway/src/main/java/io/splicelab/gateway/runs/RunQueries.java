package io.splicelab.gateway.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.gateway.hybrids.HybridGrid;
import io.splicelab.gateway.problem.ProblemException;
import io.splicelab.gateway.readmodel.CheckpointEntity;
import io.splicelab.gateway.readmodel.EventLogEntity;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };

    public boolean exists(String runId) {
        return RunEntity.findById(runId) != null;
    }

    public List<RunSummary> list() {
        return RunEntity.newestFirst().stream().map(r -> new RunSummary(r.id, r.status.name(), json(r.configJson),
                r.step, r.totalSteps, r.loss, r.accuracy, r.imagesPerSecond, r.failure, r.createdAt, r.updatedAt))
                .toList();
    }

    public RunDetail detail(String runId) {
        RunEntity r = require(runId);
        List<CheckpointView> checkpoints = CheckpointEntity.ofRun(runId).stream()
                .map(c -> new CheckpointView(c.step, c.index, c.trainLoss, c.trainAccuracy, c.artifactUri)).toList();
        return new RunDetail(r.id, r.status.name(), json(r.configJson), r.step, r.totalSteps, r.loss, r.accuracy,
                r.imagesPerSecond, checkpoints, HybridCellEntity.countOfRun(runId), r.failure, r.createdAt,
                r.updatedAt);
    }

    /** The run's hybrid grid filtered by the query; 404 for an unknown run, 400 for an unknown cut or metric. */
    public HybridGrid.View hybrids(String runId, HybridGrid.Query query) {
        require(runId);
        List<Integer> steps = CheckpointEntity.ofRun(runId).stream().map(c -> c.step).toList();
        List<HybridGrid.Cell> cells = HybridCellEntity.ofRun(runId).stream()
                .map(c -> new HybridGrid.Cell(c.cut, c.evalSet, c.bnMode, c.precision, c.shallowStep, c.deepStep,
                        c.samples, metrics(c.metricsJson)))
                .toList();
        return HybridGrid.build(runId, steps, cells, query);
    }

    public StatsView stats(String runId, String analysis) {
        require(runId);
        List<StatsResultView> results = StatsResultEntity.ofRun(runId).stream()
                .filter(s -> analysis == null || analysis.equals(s.analysis))
                .map(s -> new StatsResultView(s.analysis, s.cut.isEmpty() ? null : s.cut,
                        s.probeSet.isEmpty() ? null : s.probeSet, steps(s.steps), s.shape, json(s.parametersJson),
                        json(s.valuesJson), s.updatedAt))
                .toList();
        return new StatsView(runId, results);
    }

    /** The run's stored envelopes in the order they were applied, for replay to a late stream client. */
    public List<Envelope> storedEvents(String runId) {
        return EventLogEntity.ofRun(runId).stream().map(e -> read(e.envelopeJson, Envelope.class)).toList();
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
