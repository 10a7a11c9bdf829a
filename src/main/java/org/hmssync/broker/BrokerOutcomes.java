package org.hmssync.broker;

import org.apache.camel.Exchange;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.coordinator.HmsHeaders;
import org.hmssync.runs.OutcomeAnnouncer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every final status goes to {@code hms.sync.outcomes} with routing key = status, the event's id
 * and type as headers, and the publisher's correlation_id and message_id when it came from the broker.
 */
public final class BrokerOutcomes implements OutcomeAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutcomes.class);

    private final BrokerPublisher publisher;
    private final FinalViews views;

    public BrokerOutcomes(BrokerPublisher publisher, FinalViews views) {
        this.publisher = publisher;
        this.views = views;
    }

    @Override
    public void announce(Exchange exchange) {
        String id = exchange.getMessage().getHeader(HmsHeaders.ROLLBACK_TOKEN, String.class);
        var view = views.view(id);
        PublisherProperties origin = exchange.getProperty(OutcomeAnnouncer.ORIGIN, PublisherProperties.NONE, PublisherProperties.class);
        try {
            publisher.outcome(String.valueOf(view.get("status")), views.json(view), id, FinalViews.type(view), origin);
        } catch (RuntimeException e) {
            // the status is final on disk whatever happens here; GET /events/{id} still answers
            LOG.warn("outcome of {} not published: {}", id, FailureReasons.of(e));
        }
    }
}
