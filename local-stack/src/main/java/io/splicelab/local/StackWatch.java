package io.splicelab.local;

import java.util.List;
import java.util.Map;

/**
 * What a follower shows about the stack beside a run: the state of each service (so that a run that stalls
 * because a service is down says so) and the supervisor's messages (restarts, give-ups), printed by the
 * follower so they do not tear its progress line. Implemented by the local {@link Supervisor}, and for a remote
 * gateway by {@link GatewayServicesWatch}.
 */
public interface StackWatch {
    /** Messages since the last call, oldest first. */
    List<String> drainMessages();

    /** Every known service (and Kafka) by name, with its state in words ({@code UP}, {@code DOWN}, ...). */
    Map<String, String> states();

    /** The names whose state is not UP, for the progress line. */
    default List<String> notUp() {
        return states().entrySet().stream().filter(e -> !e.getValue().equalsIgnoreCase("UP"))
                .map(e -> e.getKey() + " " + e.getValue()).toList();
    }

    /** A watch that knows nothing (a remote gateway without {@code /api/services}). */
    StackWatch NONE = new StackWatch() {
        @Override
        public List<String> drainMessages() {
            return List.of();
        }

        @Override
        public Map<String, String> states() {
            return Map.of();
        }
    };
}
