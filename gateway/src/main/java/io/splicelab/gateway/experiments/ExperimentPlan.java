package io.splicelab.gateway.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.Problem.FieldProblem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentRequest;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An experiment request made into its runs, every one validated before any starts: the base configuration, each
 * variant applied to it as a JSON merge patch ({@link MergePatch}), times each seed. Unlike a group, variants may
 * differ in several fields at once (a random-label variant and a frozen one beside the baseline), and a field one
 * variant sets need not exist in another (a freeze without {@code freezeCut} is just the base). A mistake is a 400
 * naming the variant and the field ({@code variants.frozen.freezeStep}), and a budget bounds variants x seeds. Pure.
 *
 * @param name the experiment's unique name
 * @param base the base configuration as sent (without {@code seed}: the seeds give it)
 * @param variants the patches by variant name, in the order of the request
 * @param seeds the seeds, in the order of the request
 * @param runs one per variant and seed, variant-major, each completed with defaults and valid
 */
public record ExperimentPlan(String name, ObjectNode base, Map<String, ObjectNode> variants, List<Long> seeds,
        List<PlannedRun> runs) {

    /** The most runs (variants x seeds) one experiment may start. */
    public static final int MAX_RUNS = 36;
    /** The longest experiment name. */
    public static final int MAX_NAME = 200;
    /** What a variant name may be: it appears in paths, tables and file names. */
    public static final Pattern VARIANT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** The form of an experiment id; a name of that form would make lookups by id or name ambiguous. */
    public static final Pattern ID = Pattern.compile("exp-[0-9a-f]{12}");
    /** The configuration fields a base or a variant may set. */
    public static final Set<String> FIELDS = Arrays.stream(RunConfig.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

    /** One run of the plan: a variant at a seed, and the configuration it runs with. */
    public record PlannedRun(String variant, long seed, RunConfig config) {
    }

    /**
     * @throws ProblemException 400 {@code invalid-experiment} naming every bad field
     */
    public static ExperimentPlan of(ExperimentRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        if (request == null) {
            throw invalid(List.of(new FieldProblem("body", "an experiment needs a name, variants and seeds")));
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldProblem("name", "must be 1 to " + MAX_NAME + " printable characters"));
        } else if (ID.matcher(name).matches()) {
            errors.add(new FieldProblem("name", "must not have the form of an experiment id (exp-<12 hex digits>)"));
        }
        ObjectNode base = objectOrEmpty(request.base(), "base", errors);
        if (base != null) {
            checkFields(base, "base", errors);
        }
        Map<String, ObjectNode> variants = new LinkedHashMap<>();
        // a variant's own mistakes do not stop the others from being validated: every bad field is named at once
        List<FieldProblem> variantErrors = new ArrayList<>();
        if (request.variants() == null || request.variants().isEmpty()) {
            errors.add(new FieldProblem("variants", "must name at least one variant, e.g. {\"baseline\": {}}"));
        } else {
            request.variants().forEach((variant, patch) -> {
                String field = "variants." + variant;
                if (variant == null || !VARIANT_NAME.matcher(variant).matches()) {
                    errors.add(new FieldProblem(field, "a variant name is 1 to 64 letters, digits, '_' or '-', "
                            + "starting with a letter or digit"));
                    return;
                }
                ObjectNode p = objectOrEmpty(patch, field, errors);
                if (p != null && checkFields(p, field, variantErrors)) {
                    variants.put(variant, p);
                }
            });
        }
        List<Long> seeds = request.seeds() == null ? List.of() : request.seeds();
        if (seeds.isEmpty() || seeds.stream().anyMatch(s -> s == null)) {
            errors.add(new FieldProblem("seeds", "must list at least one seed, e.g. [1, 2, 3]"));
        } else if (new HashSet<>(seeds).size() != seeds.size()) {
            errors.add(new FieldProblem("seeds", "must be distinct"));
        }
        int variantCount = request.variants() == null ? 0 : request.variants().size();
        if ((long) variantCount * seeds.size() > MAX_RUNS) {
            errors.add(new FieldProblem("seeds", "variants x seeds = " + variantCount + " x " + seeds.size()
                    + " runs, more than the budget of " + MAX_RUNS));
        }
        if (!errors.isEmpty()) {
            errors.addAll(variantErrors);
            throw invalid(errors);
        }
        errors.addAll(variantErrors);
        List<PlannedRun> runs = new ArrayList<>();
        variants.forEach((variant, patch) -> {
            JsonNode merged = MergePatch.apply(base, patch);
            // the seeds are the one thing every variant varies; the first seed's problems stand for all of them
            // (no rule of a run configuration involves the seed), later seeds add only new fields
            Set<String> reported = new LinkedHashSet<>();
            for (long seed : seeds) {
                ObjectNode node = ((ObjectNode) merged).deepCopy();
                node.put("seed", seed);
                try {
                    RunConfig config = EventCodec.mapper().treeToValue(node, RunConfig.class).withDefaults();
                    List<RunConfig.FieldError> problems = config.validate();
                    if (problems.isEmpty()) {
                        runs.add(new PlannedRun(variant, seed, config));
                    }
                    for (RunConfig.FieldError e : problems) {
                        if (reported.add(e.field())) {
                            errors.add(new FieldProblem("variants." + variant + "." + e.field(), e.message()));
                        }
                    }
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    String f = fieldOf(e);
                    if (reported.add(f)) {
                        errors.add(new FieldProblem("variants." + variant + "." + f, "has the wrong type"));
                    }
                }
            }
        });
        if (!errors.isEmpty()) {
            List<String> order = new ArrayList<>(request.variants().keySet());
            // the request's own fields first, then each variant's in the request's order (a stable sort)
            errors.sort(java.util.Comparator.comparingInt(f -> order.indexOf(variantOf(f.field()))));
            throw invalid(errors);
        }
        return new ExperimentPlan(name, base, variants, List.copyOf(seeds), runs);
    }

    /** The variant a field of a problem belongs to ({@code variants.<name>...}), or null. */
    private static String variantOf(String field) {
        if (!field.startsWith("variants.")) {
            return null;
        }
        String rest = field.substring("variants.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static ObjectNode objectOrEmpty(JsonNode node, String field, List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            return EventCodec.mapper().createObjectNode();
        }
        if (!node.isObject()) {
            errors.add(new FieldProblem(field, "must be a JSON object (a run configuration or a merge patch of one)"));
            return null;
        }
        return (ObjectNode) node;
    }

    /** Whether every field is one a run configuration has (and not the seed). */
    private static boolean checkFields(ObjectNode node, String prefix, List<FieldProblem> errors) {
        int before = errors.size();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if ("seed".equals(f)) {
                errors.add(new FieldProblem(prefix + ".seed", "is set by the experiment's seeds"));
            } else if (!FIELDS.contains(f)) {
                errors.add(new FieldProblem(prefix + "." + f, "is not a field of the run configuration"));
            }
        }
        return errors.size() == before;
    }

    private static String fieldOf(Exception e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty() && m.getPath().get(0).getFieldName() != null) {
            return m.getPath().get(0).getFieldName();
        }
        return "configuration";
    }

    static ProblemException invalid(List<FieldProblem> errors) {
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid-experiment", "Invalid experiment", 400,
                detail, List.copyOf(errors)));
    }
}
