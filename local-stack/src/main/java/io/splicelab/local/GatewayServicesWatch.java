package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services' states as a remote gateway sees them ({@code GET /api/services}: {@code [{name, status}]}),
 * read at most every few seconds when the follower asks. A gateway without that endpoint (404) is asked no more;
 * one that does not answer is asked again later (the follower already says when the gateway is away).
 */
public final class GatewayServicesWatch implements StackWatch {
    private final GatewayClient client;
    private final Duration every;
    private final List<String> messages = new ArrayList<>();
    private Map<String, String> states = Map.of();
    private long lastPoll;
    private boolean unsupported;

    public GatewayServicesWatch(GatewayClient client) {
        this(client, Duration.ofSeconds(5));
    }

    public GatewayServicesWatch(GatewayClient client, Duration every) {
        this.client = client;
        this.every = every;
    }

    @Override
    public List<String> drainMessages() {
        poll();
        List<String> out = List.copyOf(messages);
        messages.clear();
        return out;
    }

    @Override
    public Map<String, String> states() {
        poll();
        return states;
    }

    private void poll() {
        long now = System.nanoTime();
        if (unsupported || (lastPoll != 0 && now - lastPoll < every.toNanos())) {
            return;
        }
        lastPoll = now;
        try {
            update(client.services());
        } catch (GatewayClient.GatewayException e) {
            unsupported = e.status() == 404;
        } catch (IOException | RuntimeException e) {
            // the gateway is away or answered something else: the follower says so from its own requests
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Folds one answer in; a change of a service's state becomes a message. */
    void update(JsonNode services) {
        if (services == null || !services.isArray()) {
            return;
        }
        Map<String, String> next = new LinkedHashMap<>();
        for (JsonNode s : services) {
            String name = s.path("name").asText("");
            String status = s.path("status").asText("UNKNOWN").toUpperCase(java.util.Locale.ROOT);
            if (!name.isBlank()) {
                next.put(name, status);
            }
        }
        next.forEach((name, status) -> {
            String before = states.get(name);
            if (before != null && !before.equals(status)) {
                messages.add(status.equals("UP") ? name + " is up again" : "warning: " + name + " is " + status);
            } else if (before == null && !status.equals("UP")) {
                messages.add("warning: " + name + " is " + status);
            }
        });
        states = java.util.Collections.unmodifiableMap(next);
    }
}
