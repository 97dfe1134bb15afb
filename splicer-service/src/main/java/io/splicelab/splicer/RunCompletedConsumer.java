package io.splicelab.splicer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.Payloads.RunCompleted;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Watches the run lifecycle for completed runs: the trainer writes its completed marker after the run's last
 * checkpoint event, so the grid's last status may have been {@code waiting}; once the worker has done what was
 * queued before, it reports the run's status again ({@code complete} when every cell is there). The other
 * lifecycle events, and records it cannot read, are not the splicer's business (the gateway dead-letters them).
 */
@ApplicationScoped
public class RunCompletedConsumer {
    private static final Logger LOG = Logger.getLogger(RunCompletedConsumer.class);

    private final SplicerWorker worker;

    public RunCompletedConsumer(SplicerWorker worker) {
        this.worker = worker;
    }

    @Incoming("run-events")
    @Blocking(ordered = true)
    public void onRunEvent(String value) {
        try {
            Envelope envelope = EventCodec.decode(value);
            if (EventType.RUN_COMPLETED.type().equals(envelope.type())) {
                RunCompleted completed = EventCodec.payload(envelope, RunCompleted.class);
                SplicingService.requireRunId(completed.runId());
                worker.reportStatus(completed.runId());
            }
        } catch (Exception e) {
            LOG.debugf("ignoring a run event: %s", e.getMessage());
        }
    }
}
