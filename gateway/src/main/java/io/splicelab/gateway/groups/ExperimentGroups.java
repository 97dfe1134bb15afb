package io.splicelab.gateway.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.splicelab.gateway.groups.GroupViews.GroupAccepted;
import io.splicelab.gateway.groups.GroupViews.GroupDetail;
import io.splicelab.gateway.groups.GroupViews.GroupRequest;
import io.splicelab.gateway.groups.GroupViews.GroupRun;
import io.splicelab.gateway.groups.GroupViews.GroupSummary;
import io.splicelab.gateway.groups.GroupViews.Member;
import io.splicelab.edge.problem.Problem.FieldProblem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.readmodel.GroupEntity;
import io.splicelab.gateway.readmodel.GroupMemberEntity;
import io.splicelab.gateway.runs.RunConfigValidation;
import io.splicelab.gateway.runs.RunQueries;
import io.splicelab.gateway.runs.RunSubmission;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.RecordComponent;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Experiment groups: one request launches a set of runs that differ in one configuration field (seeds,
 * width, ...), so they can be compared side by side. Every configuration is validated before any run is
 * started, so a bad value never leaves half a group behind.
 */
@ApplicationScoped
public class ExperimentGroups {
    /** The most runs one group may start. */
    public static final int MAX_RUNS = 32;
    /** The configuration fields a group may vary. */
    public static final Set<String> FACTORS = Arrays.stream(RunConfig.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RunSubmission submission;
    private final RunQueries queries;

    public ExperimentGroups(RunSubmission submission, RunQueries queries) {
        this.submission = submission;
        this.queries = queries;
    }

    /** Validates every run of the group, then starts them one by one; the group is listed from the start. */
    public GroupAccepted launch(GroupRequest request) {
        List<RunConfig> configs = configs(request);
        RunConfig base = RunConfigValidation.validated(request.config());
        String groupId = "grp-" + HexFormat.of().formatHex(bytes(6));
        // names are unique, so a group can be told from another by name; the default one carries the id
        String name = request.name() == null || request.name().isBlank() ? request.factor() + " sweep " + groupId
                : request.name().strip();
        QuarkusTransaction.requiringNew().run(() -> {
            if (GroupEntity.count("name", name) > 0) {
                throw ProblemException.conflict("a group named '" + name + "' exists already; names are unique");
            }
            GroupEntity g = new GroupEntity();
            g.id = groupId;
            g.name = name;
            g.factor = request.factor();
            g.baseConfigJson = EventCodec.toJson(base);
            g.createdAt = Instant.now();
            g.persist();
        });
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            String runId = submission.submitValidated(configs.get(i)).runId();
            JsonNode value = request.values().get(i);
            int position = i;
            QuarkusTransaction.requiringNew().run(() -> {
                GroupMemberEntity m = new GroupMemberEntity();
                m.runId = runId;
                m.groupId = groupId;
                m.position = position;
                m.valueJson = EventCodec.toJson(value);
                m.persist();
            });
            members.add(new Member(runId, value));
        }
        return new GroupAccepted(groupId, name, request.factor(), members);
    }

    /** Every group, newest first. */
    public List<GroupSummary> list() {
        return QuarkusTransaction.requiringNew().call(() -> GroupEntity.newestFirst().stream()
                .map(g -> new GroupSummary(g.id, g.name, g.factor, GroupMemberEntity.ofGroup(g.id).size(), g.createdAt))
                .toList());
    }

    /** A group with its runs; 404 when unknown. */
    public GroupDetail detail(String groupId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            GroupEntity g = GroupEntity.findById(groupId);
            if (g == null) {
                throw ProblemException.notFound("no group " + groupId);
            }
            List<GroupMemberEntity> members = GroupMemberEntity.ofGroup(groupId);
            Map<String, RunSummary> runs = queries.summaries(members.stream().map(m -> m.runId).toList()).stream()
                    .collect(Collectors.toMap(RunSummary::runId, r -> r));
            List<GroupRun> out = members.stream().filter(m -> runs.containsKey(m.runId))
                    .map(m -> new GroupRun(read(m.valueJson), runs.get(m.runId))).toList();
            return new GroupDetail(g.id, g.name, g.factor, read(g.baseConfigJson), out, g.createdAt);
        });
    }

    /** One validated configuration per value, or a 400 naming every bad value. */
    static List<RunConfig> configs(GroupRequest request) {
        if (request == null) {
            throw invalid("factor", "a group needs a factor and values");
        }
        if (request.factor() == null || !FACTORS.contains(request.factor())) {
            throw invalid("factor", "must be one of " + FACTORS.stream().sorted().toList());
        }
        if (request.values() == null || request.values().isEmpty() || request.values().size() > MAX_RUNS) {
            throw invalid("values", "must hold 1 to " + MAX_RUNS + " values");
        }
        ObjectNode base = request.config() == null ? EventCodec.mapper().createObjectNode()
                : EventCodec.mapper().valueToTree(request.config());
        List<RunConfig> configs = new ArrayList<>();
        List<FieldProblem> errors = new ArrayList<>();
        for (int i = 0; i < request.values().size(); i++) {
            ObjectNode node = base.deepCopy();
            node.set(request.factor(), request.values().get(i));
            try {
                configs.add(RunConfigValidation.validated(EventCodec.mapper().treeToValue(node, RunConfig.class)));
            } catch (ProblemException e) {
                int index = i;
                e.problem().errors().forEach(f -> errors.add(new FieldProblem("values[" + index + "]"
                        + (f.field().equals(request.factor()) ? "" : " -> " + f.field()), f.message())));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                errors.add(new FieldProblem("values[" + i + "]", "not a valid " + request.factor()));
            }
        }
        if (!errors.isEmpty()) {
            throw RunConfigValidation.invalid(errors.stream().map(f -> f.field() + " " + f.message())
                    .collect(Collectors.joining("; ")), errors);
        }
        return configs;
    }

    private static ProblemException invalid(String field, String message) {
        return RunConfigValidation.invalid(field + " " + message, List.of(new FieldProblem(field, message)));
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
