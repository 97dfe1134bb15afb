package io.splicelab.edge.consume;

import io.splicelab.edge.deadletter.DeadLetterSink;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Predicate;

/**
 * Where a service's consumers get their {@link ContractConsumer}: the rule bound to the service's dead-letter
 * publisher and fatal-error record. Usage, in a consumer bean's constructor:
 *
 * <pre>{@code
 * this.consumer = gate.consumer("run-commands")
 *         .on(EventType.RUN_REQUESTED, RunRequested.class, this::start)
 *         .on(EventType.RUN_CANCEL_REQUESTED, RunCancelRequested.class, this::cancel)
 *         .build();
 * ...
 * @Incoming("run-commands") @Blocking
 * public CompletionStage<Void> onCommand(Message<String> m) { return consumer.accept(m); }
 * }</pre>
 */
@ApplicationScoped
public class RecordGate {
    private final DeadLetterSink deadLetters;
    private final FatalErrors fatalErrors;
    private final Predicate<String> deletedRuns;

    /** A gate that knows of no deleted run (tests, consumers without a store). */
    public RecordGate(DeadLetterSink deadLetters, FatalErrors fatalErrors) {
        this(deadLetters, fatalErrors, runId -> false);
    }

    /** The service's gate: a run with the gateway's deletion marker in the store has its events skipped. */
    @Inject
    public RecordGate(DeadLetterSink deadLetters, FatalErrors fatalErrors, ArtifactStore store) {
        this(deadLetters, fatalErrors, runId -> store.exists(RunArtifacts.deletionMarker(runId)));
    }

    public RecordGate(DeadLetterSink deadLetters, FatalErrors fatalErrors, Predicate<String> deletedRuns) {
        this.deadLetters = deadLetters;
        this.fatalErrors = fatalErrors;
        this.deletedRuns = deletedRuns;
    }

    /** A builder of the consumer of a channel (the name appears in reasons and logs). */
    public ContractConsumer.Builder consumer(String channel) {
        return ContractConsumer.builder(channel, deadLetters, fatalErrors).deletedRuns(deletedRuns);
    }
}
