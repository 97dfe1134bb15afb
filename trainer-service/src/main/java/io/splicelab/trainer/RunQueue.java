package io.splicelab.trainer;

import io.splicelab.model.data.Datasets;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.trainer.training.TrainingLoop;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs are trained one after another (or a configured number in parallel) off the Kafka consumer
 * thread, so a long run never blocks the reading of commands. A run whose completion marker is in the
 * artifact store is not trained again when its command is redelivered.
 */
@ApplicationScoped
public class RunQueue {
    private static final Logger LOG = Logger.getLogger(RunQueue.class);

    private final ExecutorService executor;
    private final ArtifactStore store;
    private final EventPublisher publisher;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public RunQueue(ArtifactStore store, EventPublisher publisher,
            @ConfigProperty(name = "splicelab.trainer.parallel-runs", defaultValue = "1") int parallelRuns) {
        this.store = store;
        this.publisher = publisher;
        this.executor = Executors.newFixedThreadPool(parallelRuns, r -> {
            Thread t = new Thread(r, "trainer-run");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a run unless it is queued already or finished before. */
    public void submit(RunRequested command) {
        String runId = command.runId();
        if (store.exists(RunArtifacts.completedMarker(runId))) {
            LOG.infof("run %s already completed; ignoring the redelivered command", runId);
            return;
        }
        if (!queued.add(runId)) {
            LOG.infof("run %s already queued", runId);
            return;
        }
        executor.submit(() -> train(command));
    }

    private void train(RunRequested command) {
        String runId = command.runId();
        try {
            ImageDataset train = Datasets.train(command.config());
            publisher.publish(runId, new RunStarted(runId, command.config(), command.config().checkpointSteps()));
            PublishingListener listener = new PublishingListener(runId, command.config(),
                    TrainingLoop.networkSpec(command.config(), train), store, publisher, stopping::get);
            int last = new TrainingLoop().train(command.config(), train, listener);
            if (stopping.get() && last < command.config().steps()) {
                LOG.infof("run %s stopped at step %d by shutdown", runId, last);
                return;
            }
            RunCompleted completed = new RunCompleted(runId, last, listener.checkpoints(),
                    listener.lastTrainAccuracy());
            store.put(RunArtifacts.completedMarker(runId),
                    EventCodec.toJson(completed).getBytes(StandardCharsets.UTF_8), "application/json");
            publisher.publish(runId, completed);
            LOG.infof("run %s completed: %d steps, %d checkpoints", runId, last, listener.checkpoints());
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s failed", runId);
            try {
                publisher.publish(runId, new RunFailed(runId, String.valueOf(e.getMessage())));
            } catch (RuntimeException publishFailure) {
                LOG.error("could not publish the failure", publishFailure);
            }
        } finally {
            queued.remove(runId);
        }
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
