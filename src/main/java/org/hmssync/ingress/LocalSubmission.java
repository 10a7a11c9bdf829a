package org.hmssync.ingress;

import org.apache.camel.ProducerTemplate;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.coordinator.HmsHeaders;
import org.hmssync.coordinator.InFlightEvents;
import org.hmssync.event.SyncEvent;

/** No broker: the event is durable once its received line is on disk, then the coordinator runs it. */
public final class LocalSubmission implements EventSubmission {

    private final EventAcceptance acceptance;
    private final InFlightEvents inFlight;
    private final ProducerTemplate template;

    public LocalSubmission(EventAcceptance acceptance, InFlightEvents inFlight, ProducerTemplate template) {
        this.acceptance = acceptance;
        this.inFlight = inFlight;
        this.template = template;
    }

    @Override
    public boolean submit(SyncEvent event, String text) {
        boolean fresh;
        try {
            fresh = acceptance.accept(event);
        } catch (RuntimeException e) {
            throw new Unavailable("the hub could not store the event durably; nothing was accepted, try again", e);
        }
        if (fresh && inFlight.tryStart(event.id())) {
            template.sendBodyAndHeader(CoordinatorRoutes.INBOX, acceptance.text(event.id()), HmsHeaders.ROLLBACK_TOKEN, event.id());
        }
        return fresh;
    }
}
