package io.splicelab.gateway.services;

import io.smallrye.common.annotation.Blocking;
import io.splicelab.gateway.services.ServiceStatus.Services;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Whether splicelab's parts are up: read-only, no token, cached a few seconds (the dashboard polls it). */
@Path("/api/services")
@Tag(name = "services")
public class ServicesResource {
    private final ServiceHealth health;

    public ServicesResource(ServiceHealth health) {
        this.health = health;
    }

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "UP/DOWN of the gateway, its Kafka producers and the trainer, splicer and stats services "
            + "(those with a configured URL), polled at their /q/health and cached a few seconds")
    public Services services() {
        return health.services();
    }
}
