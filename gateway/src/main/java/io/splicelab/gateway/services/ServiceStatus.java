package io.splicelab.gateway.services;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The JSON of {@code GET /api/services}. */
public final class ServiceStatus {
    private ServiceStatus() {
    }

    /** UP or DOWN. */
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    /**
     * One service as the gateway sees it.
     *
     * @param name {@code gateway}, {@code kafka}, {@code trainer}, {@code splicer} or {@code stats}
     * @param status {@code UP} or {@code DOWN}
     * @param detail why it is DOWN (absent when UP)
     * @param url the health endpoint polled (absent for the gateway and Kafka)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Service(String name, String status, String detail, String url) {
    }

    /**
     * Every service, and whether all are UP.
     *
     * @param status {@code UP} when every service is, else {@code DOWN}
     * @param checkedAt when the services were polled (answers are cached a few seconds)
     */
    public record Services(String status, List<Service> services, Instant checkedAt) {
    }
}
