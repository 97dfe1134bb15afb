package io.splicelab.gateway.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.claims.ClaimVerdicts;
import io.splicelab.gateway.claims.ClaimVerdicts.VariantRuns;
import io.splicelab.gateway.claims.ClaimsReport;
import io.splicelab.gateway.experiments.ExperimentPlan.PlannedRun;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentAccepted;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentCancelled;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentCurvesView;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentDetail;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentRequest;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentSummary;
import io.splicelab.gateway.experiments.ExperimentViews.RunRef;
import io.splicelab.gateway.experiments.ExperimentViews.VariantCurves;
import io.splicelab.gateway.experiments.ExperimentViews.VariantView;
import io.splicelab.gateway.readmodel.ExperimentEntity;
import io.splicelab.gateway.readmodel.ExperimentMemberEntity;
import io.splicelab.gateway.readmodel.GridProgressEntity;
import io.splicelab.gateway.readmodel.HybridCellEntity;
import io.splicelab.gateway.readmodel.ProgressEntity;
import io.splicelab.gateway.readmodel.RunEntity;
import io.splicelab.gateway.readmodel.StatsResultEntity;
import io.splicelab.gateway.readmodel.TcSummaryEntity;
import io.splicelab.gateway.runs.RunRemoval;
import io.splicelab.gateway.runs.RunSubmission;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Experiments: launches every variant x seed of a validated {@link ExperimentPlan} as a run, and reads them back
 * compared per variant ({@link ExperimentAggregation}) or judged against the paper's claims ({@link ClaimVerdicts}).
 * Cancelling and deleting an experiment cancel and delete its runs the way the run endpoints do.
 */
@ApplicationScoped
public class Experiments {
    private static final Logger LOG = Logger.getLogger(Experiments.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };
    private static final String ANISOTROPY = "noise-anisotropy";

    private final RunSubmission submission;
    private final RunRemoval removal;

    public Experiments(RunSubmission submission, RunRemoval removal) {
        this.submission = submission;
        this.removal = removal;
    }

    /**
     * Validates every run, records the experiment, then starts the runs one by one.
     *
     * @param kind {@link ExperimentEntity#KIND_EXPERIMENT} or {@link ExperimentEntity#KIND_CLAIMS}
     * @throws ProblemException 400 naming every bad field, 409 when the name is taken, 503 when Kafka does not take a
     *     run (the runs started before stay in the experiment)
     */
    public ExperimentAccepted launch(ExperimentRequest request, String kind) {
        ExperimentPlan plan = ExperimentPlan.of(request);
        String id = "exp-" + HexFormat.of().formatHex(bytes(6));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (ExperimentEntity.byName(plan.name()).isPresent()) {
                    throw taken(plan.name());
                }
                ExperimentEntity e = new ExperimentEntity();
                e.id = id;
                e.name = plan.name();
                e.kind = kind;
                e.baseJson = EventCodec.toJson(plan.base());
                e.variantsJson = EventCodec.toJson(plan.variants());
                e.seedsJson = EventCodec.toJson(plan.seeds());
                e.createdAt = Instant.now();
                e.persist();
            });
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            // two requests with one name at once: the unique constraint decides
            if (QuarkusTransaction.requiringNew().call(() -> ExperimentEntity.byName(plan.name()).isPresent())) {
                throw taken(plan.name());
            }
            throw e;
        }
        List<RunRef> runs = new ArrayList<>();
        for (int i = 0; i < plan.runs().size(); i++) {
            PlannedRun planned = plan.runs().get(i);
            String runId = submission.submitValidated(planned.config()).runId();
            int position = i;
            QuarkusTransaction.requiringNew().run(() -> {
                ExperimentMemberEntity m = new ExperimentMemberEntity();
                m.runId = runId;
                m.experimentId = id;
                m.variant = planned.variant();
                m.seed = planned.seed();
                m.position = position;
                m.persist();
            });
            runs.add(new RunRef(runId, planned.variant(), planned.seed()));
        }
        LOG.infof("experiment %s (%s): %d runs", id, plan.name(), runs.size());
        return new ExperimentAccepted(id, plan.name(), runs);
    }

    /** Every experiment, newest first. */
    public List<ExperimentSummary> list() {
        return QuarkusTransaction.requiringNew().call(() -> ExperimentEntity.newestFirst().stream().map(e -> {
            List<ExperimentMemberEntity> members = ExperimentMemberEntity.ofExperiment(e.id);
            int settled = (int) members.stream().filter(m -> settled(m.runId)).count();
            return new ExperimentSummary(e.id, e.name, e.kind, new ArrayList<>(variants(e).keySet()), seeds(e),
                    members.size(), settled, e.createdAt);
        }).toList());
    }

    /** An experiment (by id or name) compared per variant; 404 when unknown. */
    public ExperimentDetail detail(String idOrName) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ExperimentEntity e = require(idOrName);
            Loaded loaded = load(e);
            List<VariantView> views = new ArrayList<>();
            loaded.members().forEach((variant, members) -> views.add(ExperimentAggregation.variant(variant,
                    variants(e).get(variant), members)));
            int runs = loaded.members().values().stream().mapToInt(List::size).sum();
            int settled = (int) loaded.members().values().stream().flatMap(List::stream)
                    .filter(m -> ExperimentAggregation.settled(m.measures().status(), m.measures().gridStatus()))
                    .count();
            return new ExperimentDetail(e.id, e.name, e.kind, settled == runs ? "finished" : "running",
                    read(e.baseJson), seeds(e), runs, settled, views, e.createdAt);
        });
    }

    /**
     * An experiment's curves over training steps (by id or name): per variant, mean and spread over its seeds at each
     * step ({@link ExperimentCurves}); 404 when unknown.
     */
    public ExperimentCurvesView curves(String idOrName) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ExperimentEntity e = require(idOrName);
            Map<String, List<ExperimentCurves.RunCurves>> byVariant = new LinkedHashMap<>();
            variants(e).keySet().forEach(v -> byVariant.put(v, new ArrayList<>()));
            for (ExperimentMemberEntity m : ExperimentMemberEntity.ofExperiment(e.id)) {
                if (RunEntity.findById(m.runId) == null) {
                    continue;
                }
                List<ExperimentCurves.DiagonalCell> cells = HybridCellEntity.diagonalOfRun(m.runId).stream()
                        .map(c -> new ExperimentCurves.DiagonalCell(c.cut, c.evalSet, c.bnMode, c.shallowStep,
                                metrics(c.metricsJson).get("accuracy")))
                        .toList();
                List<ExperimentCurves.ProgressPoint> progress = ProgressEntity.ofRun(m.runId).stream()
                        .map(p -> new ExperimentCurves.ProgressPoint(p.step, p.loss, p.accuracy)).toList();
                byVariant.computeIfAbsent(m.variant, k -> new ArrayList<>())
                        .add(ExperimentCurves.ofRun(cells, progress));
            }
            List<VariantCurves> variants = new ArrayList<>();
            byVariant.forEach((variant, runs) -> variants.add(new VariantCurves(variant, runs.size(),
                    ExperimentCurves.variant(runs))));
            return new ExperimentCurvesView(e.id, e.name, ExperimentCurves.METRICS, variants);
        });
    }

    /** The runs of an experiment (by id or name) in its order (variant-major, then seed); 404 when unknown. */
    public List<RunRef> members(String idOrName) {
        return QuarkusTransaction.requiringNew().call(() -> ExperimentMemberEntity.ofExperiment(require(idOrName).id)
                .stream().map(m -> new RunRef(m.runId, m.variant, m.seed)).toList());
    }

    /** The paper's claims judged on an experiment (by id or name); 404 when unknown. */
    public ClaimsReport claims(String idOrName) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ExperimentEntity e = require(idOrName);
            Loaded loaded = load(e);
            List<VariantRuns> variants = new ArrayList<>();
            loaded.members().forEach((variant, members) -> variants.add(new VariantRuns(variant,
                    loaded.configs().get(variant), members.stream().map(ExperimentAggregation.Member::measures)
                            .toList())));
            int runs = loaded.members().values().stream().mapToInt(List::size).sum();
            int settled = (int) loaded.members().values().stream().flatMap(List::stream)
                    .filter(m -> ExperimentAggregation.settled(m.measures().status(), m.measures().gridStatus()))
                    .count();
            return new ClaimsReport(e.id, e.name, settled == runs, runs, settled, ClaimVerdicts.ALPHA,
                    ClaimVerdicts.judge(variants), Instant.now());
        });
    }

    /**
     * Asks the trainer to stop every unfinished run of the experiment.
     *
     * @throws ProblemException 404 when unknown, 409 when every run has finished
     */
    public ExperimentCancelled cancel(String idOrName, String reason) {
        record Target(String id, List<String> unfinished) {
        }
        Target t = QuarkusTransaction.requiringNew().call(() -> {
            ExperimentEntity e = require(idOrName);
            List<String> unfinished = ExperimentMemberEntity.ofExperiment(e.id).stream().map(m -> m.runId)
                    .filter(runId -> {
                        RunEntity r = RunEntity.findById(runId);
                        return r != null && !r.status.isFinal();
                    }).toList();
            return new Target(e.id, unfinished);
        });
        if (t.unfinished().isEmpty()) {
            throw ProblemException.conflict("every run of experiment " + t.id() + " has already finished");
        }
        String why = reason == null || reason.isBlank() ? "experiment " + t.id() + " cancelled through the API" : reason;
        List<String> cancelled = new ArrayList<>();
        for (String runId : t.unfinished()) {
            try {
                removal.cancel(runId, why);
                cancelled.add(runId);
            } catch (ProblemException e) {
                if (e.problem().status() != 409 && e.problem().status() != 404) {
                    throw e;
                }
                // finished meanwhile, or deleted: nothing to stop
            }
        }
        return new ExperimentCancelled(t.id(), cancelled);
    }

    /**
     * Deletes the experiment and its runs with their artifacts (a run still training is asked to stop first).
     *
     * @throws ProblemException 404 when unknown
     */
    public void delete(String idOrName) {
        record Target(String id, List<String> runs) {
        }
        Target t = QuarkusTransaction.requiringNew().call(() -> {
            ExperimentEntity e = require(idOrName);
            return new Target(e.id, ExperimentMemberEntity.ofExperiment(e.id).stream().map(m -> m.runId).toList());
        });
        for (String runId : t.runs()) {
            try {
                removal.delete(runId);
            } catch (ProblemException e) {
                if (e.problem().status() != 404) {
                    throw e;
                }
            }
        }
        QuarkusTransaction.requiringNew().run(() -> {
            ExperimentMemberEntity.delete("experimentId", t.id());
            ExperimentEntity.deleteById(t.id());
        });
        LOG.infof("deleted experiment %s and its %d runs", t.id(), t.runs().size());
    }

    // ---------------------------------------------------------------- reading

    /** The experiment's members by variant (in the request's order) and a configuration of each variant. */
    private record Loaded(Map<String, List<ExperimentAggregation.Member>> members, Map<String, RunConfig> configs) {
    }

    private Loaded load(ExperimentEntity e) {
        Map<String, List<ExperimentAggregation.Member>> members = new LinkedHashMap<>();
        Map<String, RunConfig> configs = new LinkedHashMap<>();
        variants(e).keySet().forEach(v -> members.put(v, new ArrayList<>()));
        for (ExperimentMemberEntity m : ExperimentMemberEntity.ofExperiment(e.id)) {
            RunEntity run = RunEntity.findById(m.runId);
            if (run == null) {
                continue;
            }
            RunConfig config = config(run.configJson);
            configs.putIfAbsent(m.variant, config);
            GridProgressEntity grid = GridProgressEntity.findById(m.runId);
            List<RunMeasures.Cell> cells = HybridCellEntity.ofRun(m.runId).stream().map(c -> {
                Map<String, Double> metrics = metrics(c.metricsJson);
                return new RunMeasures.Cell(c.cut, c.evalSet, c.bnMode, c.shallowStep, c.deepStep, c.samples,
                        metrics.get("accuracy"), metrics.get("relativeAccuracy"));
            }).toList();
            Map<Integer, JsonNode> noise = new TreeMap<>();
            for (StatsResultEntity s : StatsResultEntity.ofRun(m.runId)) {
                if (ANISOTROPY.equals(s.analysis) && !s.steps.isEmpty()) {
                    String[] steps = s.steps.split(",");
                    noise.put(Integer.valueOf(steps[steps.length - 1]), read(s.valuesJson));
                }
            }
            int classes = config == null ? 10 : DatasetInfo.of(config.dataset()).map(DatasetInfo::numClasses)
                    .orElse(10);
            List<RunMeasures.Summary> summaries = TcSummaryEntity.ofRun(m.runId).stream()
                    .map(t -> new RunMeasures.Summary(t.cut, t.evalSet, t.bnMode, t.tcScore, t.tcExcludingInitial))
                    .toList();
            RunMeasures measures = RunMeasures.of(m.runId, m.variant, m.seed, run.status.name(),
                    grid == null ? null : grid.status, cells, summaries, noise, classes);
            members.computeIfAbsent(m.variant, k -> new ArrayList<>())
                    .add(new ExperimentAggregation.Member(measures, run.step, run.totalSteps));
        }
        return new Loaded(members, configs);
    }

    private static boolean settled(String runId) {
        RunEntity run = RunEntity.findById(runId);
        if (run == null) {
            return true;
        }
        GridProgressEntity grid = GridProgressEntity.findById(runId);
        return ExperimentAggregation.settled(run.status.name(), grid == null ? null : grid.status);
    }

    private static ExperimentEntity require(String idOrName) {
        ExperimentEntity e = idOrName == null ? null : ExperimentPlan.ID.matcher(idOrName).matches()
                ? ExperimentEntity.findById(idOrName) : ExperimentEntity.byName(idOrName).orElse(null);
        if (e == null) {
            throw ProblemException.notFound("no experiment " + idOrName);
        }
        return e;
    }

    private static ProblemException taken(String name) {
        return ProblemException.conflict("an experiment named '" + name + "' exists already; names are unique");
    }

    private static Map<String, JsonNode> variants(ExperimentEntity e) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode v = read(e.variantsJson);
        if (v != null) {
            v.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue()));
        }
        return out;
    }

    private static List<Long> seeds(ExperimentEntity e) {
        List<Long> out = new ArrayList<>();
        JsonNode s = read(e.seedsJson);
        if (s != null) {
            s.forEach(x -> out.add(x.asLong()));
        }
        return out;
    }

    private static RunConfig config(String json) {
        try {
            return json == null ? null : EventCodec.mapper().readValue(json, RunConfig.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Map<String, Double> metrics(String json) {
        try {
            return json == null ? Map.of() : EventCodec.mapper().readValue(json, METRICS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable metrics in the read model", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return json == null ? null : EventCodec.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the read model", e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
