package org.hmssync.runs;

import org.hmssync.coordinator.HmsHeaders;
import org.apache.camel.Exchange;

/** Tells the outside world an event's final status (RabbitMQ's hms.sync.outcomes when it is on). */
public interface OutcomeAnnouncer {

    /**
     * Exchange property: where the run's event came from (for RabbitMQ, the publisher's
     * properties), for the announcer to echo; absent for runs asked for over HTTP. A property, not
     * a header: headers would travel on to the adapters' calls.
     */
    String ORIGIN = "HmsOrigin";

    /** The exchange carries the event id in {@link HmsHeaders#ROLLBACK_TOKEN}. */
    void announce(Exchange exchange);

    OutcomeAnnouncer NONE = exchange -> { };
}
