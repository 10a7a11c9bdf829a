package org.hmssync.broker;

import java.nio.charset.StandardCharsets;
import org.hmssync.event.SyncEvent;
import org.hmssync.runs.EventSubmission;

/** With RabbitMQ on, {@code POST /events} is a publisher: 202 only after the broker's confirm. */
public final class BrokerSubmission implements EventSubmission {

    private final BrokerPublisher publisher;

    public BrokerSubmission(BrokerPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public boolean submit(SyncEvent event, String text) {
        try {
            publisher.publishEvent(event.type(), text.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (RuntimeException e) {
            throw new Unavailable("the message broker is unreachable or did not confirm; the event was not accepted, try again", e);
        }
    }
}
