package org.hmssync.ingress;

import org.hmssync.coordinator.EventRunner;
import org.hmssync.coordinator.InFlightEvents;
import org.hmssync.coordinator.KeyedLanes;
import org.hmssync.event.SyncEvent;

/** No broker: the event is durable once its received line is on disk, then the coordinator runs it. */
public final class LocalSubmission implements EventSubmission {

    private final EventAcceptance acceptance;
    private final InFlightEvents inFlight;
    private final KeyedLanes lanes;
    private final EventRunner runner;

    public LocalSubmission(EventAcceptance acceptance, InFlightEvents inFlight, KeyedLanes lanes, EventRunner runner) {
        this.acceptance = acceptance;
        this.inFlight = inFlight;
        this.lanes = lanes;
        this.runner = runner;
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
            // the event is durable: its run joins its claimant's lane, after that claimant's earlier events
            lanes.submit(KeyedLanes.keyOf(event), () -> runner.runAccepted(event.id()));
        }
        return fresh;
    }
}
