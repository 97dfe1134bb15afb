package io.splicelab.gateway.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.gateway.experiments.ExperimentViews.AnisotropyView;
import io.splicelab.gateway.experiments.ExperimentViews.RunView;
import io.splicelab.gateway.experiments.ExperimentViews.VariantView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Summarises a variant's runs over their seeds (mean, standard deviation, standard error of every figure), so an
 * experiment reads as "baseline 0.84 +- 0.01 vs frozen 0.79 +- 0.02" instead of nine run pages. Pure.
 */
public final class ExperimentAggregation {
    /** Run statuses after which a run changes no more. */
    public static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");
    /** Grid statuses after which a completed run's figures change no more. */
    public static final Set<String> GRID_DONE = Set.of("complete", "incomplete");

    private ExperimentAggregation() {
    }

    /** A run of the variant with its progress (the measures say the rest). */
    public record Member(RunMeasures measures, Integer step, Integer totalSteps) {
    }

    /** Whether a run is over: finished, and when it completed, with its hybrid grid done. */
    public static boolean settled(String status, String gridStatus) {
        return FINAL.contains(status) && (!"COMPLETED".equals(status) || GRID_DONE.contains(gridStatus));
    }

    /** The variant over its seeds, the runs in seed order as given. */
    public static VariantView variant(String name, JsonNode patch, List<Member> members) {
        List<RunMeasures> runs = members.stream().map(Member::measures).toList();
        List<RunView> views = members.stream().map(m -> new RunView(m.measures().runId(), m.measures().seed(),
                m.measures().status(), m.measures().gridStatus(), m.step(), m.totalSteps(),
                settled(m.measures().status(), m.measures().gridStatus()), m.measures().accuracy().get("test"),
                m.measures().corruptedAccuracy())).toList();
        Map<String, Stat> accuracy = new TreeMap<>();
        runs.stream().flatMap(r -> r.accuracy().keySet().stream()).distinct()
                .forEach(set -> accuracy.put(set, Stat.of(values(runs, r -> r.accuracy().get(set)))));
        return new VariantView(name, patch, views, Stat.of(values(runs, r -> r.accuracy().get("test"))),
                Stat.of(values(runs, RunMeasures::corruptedAccuracy)), accuracy, byCut(runs, RunMeasures::tc),
                byCut(runs, RunMeasures::tcWithInitial), anisotropy(runs));
    }

    private static Map<String, Map<String, Stat>> byCut(List<RunMeasures> runs,
            Function<RunMeasures, Map<String, Map<String, Double>>> figure) {
        Map<String, Set<String>> keys = new TreeMap<>();
        runs.forEach(r -> figure.apply(r).forEach((cut, bySet) -> keys.computeIfAbsent(cut, k -> new TreeSet<>())
                .addAll(bySet.keySet())));
        Map<String, Map<String, Stat>> out = new TreeMap<>();
        keys.forEach((cut, sets) -> sets.forEach(set -> out.computeIfAbsent(cut, k -> new TreeMap<>())
                .put(set, Stat.of(values(runs, r -> figure.apply(r).getOrDefault(cut, Map.of()).get(set))))));
        return out;
    }

    private static AnisotropyView anisotropy(List<RunMeasures> runs) {
        List<RunMeasures.Anisotropy> a = runs.stream().map(RunMeasures::anisotropy).filter(x -> x != null).toList();
        if (a.isEmpty()) {
            return null;
        }
        return new AnisotropyView(a.size(), Stat.of(a.stream().map(RunMeasures.Anisotropy::ledoitWolfZ).toList()),
                a.stream().map(RunMeasures.Anisotropy::ledoitWolfP).toList(), a.get(0).k(),
                Stat.of(a.stream().map(RunMeasures.Anisotropy::topKShare).toList()),
                Stat.of(a.stream().map(RunMeasures.Anisotropy::nullTopKShare).toList()),
                a.stream().map(RunMeasures.Anisotropy::monteCarloP).toList());
    }

    /** Each run's value of a figure, nulls included (Stat skips them). */
    static List<Double> values(List<RunMeasures> runs, Function<RunMeasures, Double> figure) {
        List<Double> out = new ArrayList<>();
        runs.forEach(r -> out.add(figure.apply(r)));
        return out;
    }
}
