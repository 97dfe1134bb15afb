package io.splicelab.gateway.readmodel;

import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What makes an event the same fact about a run, whatever its CloudEvents id: a service that restarts replays
 * what it produced with new ids (checkpoint.created 6 times for 5 checkpoints, stats.computed 24 times for 15 in
 * the field). The event log and the live streams keep one event per natural key of a run: the run's lifecycle
 * events by type (progress also by step), a checkpoint by step, a hybrid cell by (cut, evalSet, bnMode,
 * shallowStep, deepStep), a TC summary by (cut, evalSet, bnMode), an analysis result by (source, analysis, cut, probeSet,
 * evalSet, bnMode, steps), noise by step, a feature snapshot by (step, probeSet), the grid progress by run (the latest wins). Pure.
 */
public final class NaturalKeys {
    /** Keys longer than this are stored as a hash (an analysis over many steps). */
    static final int MAX_LENGTH = 200;

    private NaturalKeys() {
    }

    /** The natural key of an event of an unknown source within its run (see {@link #of(String, String, Object)}). */
    public static String of(String type, Object payload) {
        return of(type, null, payload);
    }

    /**
     * The natural key of an event within its run; null for a type without one (kept by its id).
     *
     * @param source the envelope's CloudEvents source: part of an analysis result's key (two producers may use one
     *     analysis name)
     */
    public static String of(String type, String source, Object payload) {
        String key = raw(type, source, payload);
        if (key == null || key.length() <= MAX_LENGTH) {
            return key;
        }
        return type + "#sha256:" + sha256(key);
    }

    private static String raw(String type, String source, Object payload) {
        if (payload instanceof RunRequested || payload instanceof RunStarted || payload instanceof RunCompleted
                || payload instanceof RunFailed || payload instanceof RunCancelled
                || payload instanceof RunCancelRequested || payload instanceof GridProgress) {
            return type;
        }
        if (payload instanceof RunProgress p) {
            return join(type, p.step());
        }
        if (payload instanceof CheckpointCreated p) {
            return join("checkpoint", p.step());
        }
        if (payload instanceof CheckpointImported p) {
            return join("checkpoint", p.step());
        }
        if (payload instanceof HybridEvaluated p) {
            return join(type, p.cut(), p.evalSet(), p.bnMode(), p.shallowStep(), p.deepStep());
        }
        if (payload instanceof TcSummaryComputed p) {
            return join(type, p.cut(), p.evalSet(), p.bnMode());
        }
        if (payload instanceof StatsComputed p) {
            return join(type, source, p.analysis(), p.cut(), p.probeSet(), p.evalSet(), p.bnMode(), steps(p.steps()));
        }
        if (payload instanceof NoiseSampled p) {
            return join(type, p.step());
        }
        if (payload instanceof FeaturesSnapshotted p) {
            return join(type, p.step(), p.probeSet());
        }
        return null;
    }

    private static String steps(List<Integer> steps) {
        return steps == null ? "" : steps.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String join(Object... parts) {
        StringBuilder b = new StringBuilder();
        for (Object part : parts) {
            if (!b.isEmpty()) {
                b.append('|');
            }
            b.append(Objects.toString(part, ""));
        }
        return b.toString();
    }

    /** Hex sha256 of a text: the fingerprint of an event's data, to tell a repeat from an update. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
