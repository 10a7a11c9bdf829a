package org.hmssync.runs;

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
        // claimed before it is accepted: a durable, unfinished event is never nobody's (see EventRunner)
        boolean claimed = inFlight.tryStart(event.id());
        boolean fresh;
        try {
            fresh = acceptance.accept(event, text);
        } catch (RuntimeException e) {
            if (claimed) {
                inFlight.finish(event.id());
            }
            throw new Unavailable("the hub could not store the event durably; nothing was accepted, try again", e);
        }
        if (fresh && claimed) {
            // the event is durable: its run joins its claimant's lane, after that claimant's earlier events
            lanes.submit(KeyedLanes.keyOf(event), () -> runner.runAccepted(event));
        } else if (claimed) {
            inFlight.finish(event.id());
        }
        return fresh;
    }
}
