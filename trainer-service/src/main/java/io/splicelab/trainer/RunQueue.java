package io.splicelab.trainer;

import io.quarkus.runtime.StartupEvent;
import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.trainer.training.Devices;
import io.splicelab.trainer.training.ResumePoint;
import io.splicelab.trainer.training.TrainingData;
import io.splicelab.trainer.training.TrainingLoop;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs are trained one after another (or {@code splicelab.trainer.parallel-runs} at a time, e.g. the runs
 * of an experiment group) off the Kafka consumer thread, so a long run never blocks the reading of
 * commands. A run whose completion or cancellation marker is in the artifact store is not trained again
 * when its command is redelivered; a run with a started marker and neither is resumed at startup from its
 * last complete checkpoint. The data and device are checked before RunStarted, so a run that cannot
 * train fails without starting.
 */
@ApplicationScoped
public class RunQueue {
    private static final Logger LOG = Logger.getLogger(RunQueue.class);

    private final ExecutorService executor;
    private final ArtifactStore store;
    private final EventPublisher publisher;
    private final ResumePoints resumePoints;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    /** Queued runs that have begun (guarded by {@code this} together with the queued-run cancellation). */
    private final Set<String> begun = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public RunQueue(ArtifactStore store, EventPublisher publisher,
            @ConfigProperty(name = "splicelab.trainer.parallel-runs", defaultValue = "1") int parallelRuns) {
        this.store = store;
        this.publisher = publisher;
        this.resumePoints = new ResumePoints(store);
        this.executor = Executors.newFixedThreadPool(Math.max(1, parallelRuns), r -> {
            Thread t = new Thread(r, "trainer-run");
            t.setDaemon(true);
            return t;
        });
    }

    /** Resumes every run left unfinished by a previous trainer process. */
    void onStart(@Observes StartupEvent event) {
        for (String runId : resumePoints.unfinishedRuns()) {
            RunRequested command;
            try {
                command = EventCodec.mapper().readValue(store.read(TrainerArtifacts.startedMarker(runId)),
                        RunRequested.class);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.errorf(e, "run %s has an unreadable started marker; not resumed", runId);
                continue;
            }
            LOG.infof("run %s was unfinished: resuming", runId);
            submit(command);
        }
    }

    /** Queues a run unless it is queued already or finished before. */
    public void submit(RunRequested command) {
        String runId = command.runId();
        if (store.exists(RunArtifacts.completedMarker(runId)) || store.exists(TrainerArtifacts.cancelledMarker(runId))) {
            LOG.infof("run %s already completed or cancelled; ignoring the redelivered command", runId);
            return;
        }
        if (!queued.add(runId)) {
            LOG.infof("run %s already queued", runId);
            return;
        }
        executor.submit(() -> train(command));
    }

    /**
     * Stops a run cleanly at its next step; its checkpoints so far stay. A run still waiting in the queue is
     * cancelled at once (confirmed by {@code run.cancelled} now, not when its turn comes).
     * A run this trainer does not know but that has a started marker is marked cancelled so it is never
     * resumed.
     */
    public void cancel(String runId) {
        if (store.exists(RunArtifacts.completedMarker(runId)) || store.exists(TrainerArtifacts.cancelledMarker(runId))) {
            LOG.infof("run %s already finished; nothing to cancel", runId);
            return;
        }
        synchronized (this) {
            if (queued.contains(runId) && !begun.contains(runId)) {
                // waiting behind another run, which may train for hours: confirm now, not when its turn comes
                markCancelled(runId, resumePoints.lastCompleteStep(runId).orElse(0));
                return;
            }
            if (queued.contains(runId)) {
                cancelRequested.add(runId);
                return;
            }
        }
        if (store.exists(TrainerArtifacts.startedMarker(runId))) {
            markCancelled(runId, resumePoints.lastCompleteStep(runId).orElse(0));
        } else {
            LOG.infof("run %s is unknown; ignoring the cancel request", runId);
        }
    }

    private void train(RunRequested command) {
        String runId = command.runId();
        RunConfig config = command.config();
        try {
            synchronized (this) {
                if (store.exists(TrainerArtifacts.cancelledMarker(runId))) {
                    LOG.infof("run %s was cancelled while queued", runId);
                    return;
                }
                begun.add(runId);
            }
            if (cancelRequested.remove(runId)) {
                markCancelled(runId, 0);
                return;
            }
            ImageDataset train = Datasets.train(config);
            TrainingData data = new TrainingData(train, Datasets.evalSubset(config), Datasets.test(config));
            Devices.resolve(config.device());
            Optional<ResumePoint> resume = resumePoints.find(runId);
            if (resume.isEmpty()) {
                store.put(TrainerArtifacts.startedMarker(runId),
                        EventCodec.toJson(command).getBytes(StandardCharsets.UTF_8), "application/json");
                publisher.publish(runId, new RunStarted(runId, config, config.checkpointSteps()));
            } else {
                LOG.infof("run %s resumes after step %d", runId, resume.get().step());
                // at-least-once: the last checkpoint's event may not have gone out before the crash
                resumePoints.lastManifest(runId).ifPresent(m -> publisher.publish(runId, m.event()));
            }
            PublishingListener listener = new PublishingListener(runId, config,
                    TrainingLoop.networkSpec(config, train), store, publisher,
                    () -> stopping.get() || cancelRequested.contains(runId));
            int last = new TrainingLoop().train(config, data, listener, resume.orElse(null));
            if (cancelRequested.remove(runId)) {
                markCancelled(runId, last);
                return;
            }
            if (stopping.get() && last < config.steps()) {
                LOG.infof("run %s stopped at step %d by shutdown; it resumes at the next start", runId, last);
                return;
            }
            int checkpoints = listener.checkpoints() > 0 ? listener.checkpoints()
                    : resume.map(ResumePoint::nextIndex).orElse(0);
            // the last checkpoint's test accuracy is on the whole test split (TrainingLoop); after a resume that
            // found the last checkpoint already written, its manifest has it
            Double finalTest = null;
            Integer finalTestSamples = null;
            if (listener.lastStep() == last && listener.lastTestAccuracy() != null) {
                finalTest = listener.lastTestAccuracy();
                finalTestSamples = listener.lastTestSamples();
            } else {
                Optional<CheckpointManifest> manifest = resumePoints.lastManifest(runId)
                        .filter(m -> m.step() == last && m.testAccuracy() != null);
                finalTest = manifest.map(CheckpointManifest::testAccuracy).orElse(null);
                finalTestSamples = manifest.map(CheckpointManifest::testSamples).orElse(null);
            }
            RunCompleted completed = new RunCompleted(runId, last, checkpoints, listener.lastTrainAccuracy(),
                    finalTest, finalTestSamples);
            store.put(RunArtifacts.completedMarker(runId),
                    EventCodec.toJson(completed).getBytes(StandardCharsets.UTF_8), "application/json");
            publisher.publish(runId, completed);
            LOG.infof("run %s completed: %d steps, %d checkpoints, test accuracy %s on %s test images", runId,
                    last, checkpoints, finalTest, finalTestSamples);
        } catch (RuntimeException e) {
            if (stopping.get()) {
                LOG.infof("run %s interrupted by shutdown (%s); it resumes at the next start", runId, e.toString());
                return;
            }
            LOG.errorf(e, "run %s failed", runId);
            try {
                publisher.publish(runId, new RunFailed(runId, String.valueOf(e.getMessage())));
            } catch (RuntimeException publishFailure) {
                LOG.error("could not publish the failure", publishFailure);
            }
        } finally {
            synchronized (this) {
                begun.remove(runId);
                queued.remove(runId);
            }
        }
    }

    private void markCancelled(String runId, int step) {
        RunCancelled cancelled = new RunCancelled(runId, step);
        store.put(TrainerArtifacts.cancelledMarker(runId), EventCodec.toJson(cancelled).getBytes(StandardCharsets.UTF_8),
                "application/json");
        publisher.publish(runId, cancelled);
        LOG.infof("run %s cancelled at step %d", runId, step);
    }

    /** Runs queued or training now. */
    public Map<String, Boolean> active() {
        Map<String, Boolean> out = new ConcurrentHashMap<>();
        queued.forEach(r -> out.put(r, true));
        return out;
    }

    @PreDestroy
    void stop() {
        stopping.set(true);
        executor.shutdownNow();
    }
}
