package io.splicelab.gateway.readmodel;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks the claim checks of an event against the artifact store the gateway mounts: an event whose artifact is
 * missing, lies outside the store or has another size than announced describes nothing real (a fabricated
 * {@code noise.sampled} in the field) and is not applied. Only the size is compared (reading every artifact to hash
 * it would cost the ingest what the services already verify when they read it).
 */
@ApplicationScoped
public class ArtifactPresence {
    /**
     * Where the trainer stores a run's command before it publishes {@code run.started} (its
     * {@code TrainerArtifacts.startedMarker}): {@code runs/<runId>/started.json}, the {@code RunRequested} itself.
     */
    static final String STARTED_MARKER = "/started.json";

    private final Path root;
    private final LocalArtifactStore store;

    public ArtifactPresence(@ConfigProperty(name = "splicelab.artifacts.dir", defaultValue = "./.splicelab/artifacts")
            Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.store = new LocalArtifactStore(this.root);
    }

    /**
     * The command of a run the trainer accepted, read from its started marker, when the store has one (for this very
     * run id): {@code run.requested} (on run-commands) and {@code run.started} (on run-events) travel on different
     * topics, so a run requested straight on Kafka may show its start before the gateway read its request. Only a
     * service that writes to the store can create the marker, so a hostile record still cannot create a run. Read
     * through {@link LocalArtifactStore}, which refuses keys and links that leave the store.
     */
    public Optional<RunRequested> requested(String runId) {
        try {
            String key = RunArtifacts.runPrefix(runId) + STARTED_MARKER;
            if (!store.exists(key)) {
                return Optional.empty();
            }
            RunRequested command = EventCodec.mapper().readValue(store.read(key), RunRequested.class);
            return command != null && runId.equals(command.runId()) ? Optional.of(command) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable, foreign or outside the store: no evidence of a request
        }
    }

    /** Why the event's artifacts do not check out, or empty when they do (or it has none). */
    public Optional<String> problem(Object payload) {
        for (ArtifactRef ref : refs(payload)) {
            Optional<String> problem = problem(ref);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Whether the gateway recorded an import of this run (its import records are in the store). */
    public boolean imported(String runId) {
        try {
            return Files.isDirectory(resolve(RunArtifacts.importsPrefix(runId)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the gateway recorded the import of this step of the run. */
    public boolean imported(String runId, int step) {
        try {
            return Files.isRegularFile(resolve(RunArtifacts.importRecord(runId, step)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static List<ArtifactRef> refs(Object payload) {
        List<ArtifactRef> out = new ArrayList<>();
        if (payload instanceof CheckpointCreated p) {
            out.add(p.parameters());
        } else if (payload instanceof CheckpointImported p) {
            out.add(p.manifestFile());
            if (p.segments() != null) {
                out.addAll(p.segments());
            }
        } else if (payload instanceof NoiseSampled p) {
            out.add(p.noise());
            if (p.update() != null) {
                out.add(p.update());
            }
        } else if (payload instanceof FeaturesSnapshotted p) {
            out.add(p.features());
        }
        return out;
    }

    private Optional<String> problem(ArtifactRef ref) {
        if (ref == null || ref.uri() == null || !ref.uri().startsWith(LocalArtifactStore.SCHEME)) {
            return Optional.of("artifact reference " + (ref == null ? null : ref.uri()) + " is not in the store");
        }
        Path file;
        try {
            file = resolve(ref.uri().substring(LocalArtifactStore.SCHEME.length()));
        } catch (IllegalArgumentException e) {
            return Optional.of("artifact " + ref.uri() + " lies outside the store");
        }
        try {
            long size = Files.size(file);
            if (size != ref.size()) {
                return Optional.of("artifact " + ref.uri() + " has " + size + " bytes, the event says " + ref.size());
            }
        } catch (IOException e) {
            return Optional.of("artifact " + ref.uri() + " is missing from the store");
        }
        return Optional.empty();
    }

    private Path resolve(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("empty key");
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("outside the store");
        }
        return p;
    }
}
