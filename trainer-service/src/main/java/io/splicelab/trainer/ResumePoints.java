package io.splicelab.trainer;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.trainer.training.ResumePoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds in the artifact store what a restarted trainer needs: the runs in progress (a started marker
 * and neither a completed nor a cancelled marker) and, per run, the last complete checkpoint (its
 * manifest is written last, and it names an optimizer state) with its artifacts read back verified.
 */
final class ResumePoints {
    private static final String STARTED = "/started.json";
    private final ArtifactStore store;

    ResumePoints(ArtifactStore store) {
        this.store = store;
    }

    List<String> unfinishedRuns() {
        List<String> out = new ArrayList<>();
        for (String key : store.list("runs")) {
            if (key.endsWith(STARTED) && key.indexOf('/', "runs/".length()) == key.length() - STARTED.length()) {
                String runId = key.substring("runs/".length(), key.length() - STARTED.length());
                // a directory whose name breaks the run-id rule was never written by this trainer
                if (RunIds.isValid(runId) && !store.exists(RunArtifacts.completedMarker(runId))
                        && !store.exists(TrainerArtifacts.cancelledMarker(runId))) {
                    out.add(runId);
                }
            }
        }
        return out;
    }

    Optional<CheckpointManifest> lastManifest(String runId) {
        List<String> manifests = store.list(RunArtifacts.checkpointsPrefix(runId)).stream()
                .filter(k -> k.endsWith(".json")).sorted().toList();
        for (int i = manifests.size() - 1; i >= 0; i--) {
            CheckpointManifest m = read(manifests.get(i));
            if (m != null && m.optimizerState() != null) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    Optional<Integer> lastCompleteStep(String runId) {
        return lastManifest(runId).map(CheckpointManifest::step);
    }

    Optional<ResumePoint> find(String runId) {
        return lastManifest(runId).map(m -> new ResumePoint(m.step(), m.index() + 1, store.get(m.parameters()),
                store.get(m.optimizerState())));
    }

    private CheckpointManifest read(String key) {
        try {
            return EventCodec.mapper().readValue(store.read(key), CheckpointManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable checkpoint manifest " + key, e);
        }
    }
}
