package org.hmssync.coordinator;

import org.apache.camel.Exchange;

/** Tells the outside world an event's final status (RabbitMQ's hms.sync.outcomes when it is on). */
public interface OutcomeAnnouncer {

    /** The exchange carries the event id in {@link HmsHeaders#ROLLBACK_TOKEN}. */
    void announce(Exchange exchange);

    OutcomeAnnouncer NONE = exchange -> { };
}
