package io.splicelab.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.splicelab.model.events.Envelope;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBroadcasterTest {

    private static Envelope event(String id, String run) {
        return new Envelope("1.0", id, "/test", "io.splicelab.run.progress", run, null, null, null, 1, null);
    }

    private static List<String> ids(AssertSubscriber<Envelope> s) {
        return s.getItems().stream().map(Envelope::id).toList();
    }

    @Test
    void replayThenBufferedThenLiveWithoutDuplicatesOrOtherRuns() {
        EventBroadcaster broadcaster = new EventBroadcaster(16);
        LiveFeed feed = broadcaster.subscribe("a");
        // committed while the replay was being read: "2" is in both, "3" only live; "x" is another run
        broadcaster.publish(event("2", "a"));
        broadcaster.publish(event("x", "b"));
        broadcaster.publish(event("3", "a"));
        AssertSubscriber<Envelope> client = broadcaster.stream(feed, List.of(event("1", "a"), event("2", "a")))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        broadcaster.publish(event("4", "a"));
        assertEquals(List.of("1", "2", "3", "4"), ids(client));
        client.cancel();
        assertEquals(0, broadcaster.clients());
    }

    @Test
    void allRunsFeedGetsEveryRun() {
        EventBroadcaster broadcaster = new EventBroadcaster(16);
        AssertSubscriber<Envelope> client = broadcaster.stream(broadcaster.subscribe(null), List.of())
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        broadcaster.publish(event("1", "a"));
        broadcaster.publish(event("2", "b"));
        assertEquals(List.of("1", "2"), ids(client));
    }

    @Test
    void slowClientIsDroppedWithoutAffectingOthers() {
        EventBroadcaster broadcaster = new EventBroadcaster(4);
        AssertSubscriber<Envelope> slow = broadcaster.stream(broadcaster.subscribe("a"), List.of())
                .subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<Envelope> fast = broadcaster.stream(broadcaster.subscribe("a"), List.of())
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        for (int i = 0; i < 10; i++) {
            broadcaster.publish(event("e" + i, "a"));
        }
        assertEquals(10, fast.getItems().size());
        assertEquals(1, broadcaster.clients());
        slow.request(1);
        assertInstanceOf(LiveFeed.SlowClientException.class, slow.getFailure());
        broadcaster.publish(event("e10", "a"));
        assertEquals(11, fast.getItems().size());
    }

    @Test
    void attachedClientThatStopsReadingIsDroppedWhenItsBufferOverflows() {
        EventBroadcaster broadcaster = new EventBroadcaster(4);
        AssertSubscriber<Envelope> stuck = broadcaster.stream(broadcaster.subscribe("a"), List.of(event("r", "a")))
                .subscribe().withSubscriber(AssertSubscriber.create(2));
        for (int i = 0; i < 10; i++) {
            broadcaster.publish(event("e" + i, "a"));
        }
        assertEquals(List.of("r", "e0"), ids(stuck));
        assertInstanceOf(BackPressureFailure.class, stuck.getFailure());
        assertEquals(0, broadcaster.clients());
    }

    @Test
    void clientThatOverflowsBeforeAttachingFails() {
        EventBroadcaster broadcaster = new EventBroadcaster(2);
        LiveFeed feed = broadcaster.subscribe("a");
        for (int i = 0; i < 5; i++) {
            broadcaster.publish(event("e" + i, "a"));
        }
        AssertSubscriber<Envelope> client = broadcaster.stream(feed, List.of())
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertInstanceOf(LiveFeed.SlowClientException.class, client.getFailure());
        assertEquals(0, broadcaster.clients());
    }
}
