package io.splicelab.gateway.publish;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.edge.health.ProducerHealth;
import io.splicelab.edge.publish.ContractPublisher;
import io.splicelab.model.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * The gateway's one {@link ContractPublisher}: run commands ({@code run-commands}), imported checkpoints
 * ({@code checkpoints}) and deleted runs ({@code run.deleted} on {@code run-events}), each sent and acknowledged by the broker within {@code splicelab.commands.send-timeout}
 * (so "202 Accepted" means durably in Kafka), with its outcome in the {@code kafka-producers} readiness check.
 */
@ApplicationScoped
public class GatewayPublisher {
    private final ContractPublisher publisher;

    public GatewayPublisher(@Channel("run-commands") MutinyEmitter<String> runCommands,
            @Channel("checkpoints") MutinyEmitter<String> checkpoints,
            @Channel("run-events") MutinyEmitter<String> runEvents,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "splicelab.commands.send-timeout", defaultValue = "15s") Duration timeout,
            ProducerHealth health, FatalErrors fatal) {
        this.publisher = new ContractPublisher(service,
                Map.of(Topics.RUN_COMMANDS, runCommands, Topics.CHECKPOINTS, checkpoints, Topics.RUN_EVENTS, runEvents),
                health, fatal, timeout);
    }

    @Produces
    @Singleton
    ContractPublisher publisher() {
        return publisher;
    }
}
