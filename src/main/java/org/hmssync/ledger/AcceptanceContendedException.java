package org.hmssync.ledger;

/** Another hub is accepting the same id right now (cluster mode): try again in a moment, when it has finished or its claim is stale. */
public final class AcceptanceContendedException extends RuntimeException {

    public AcceptanceContendedException(String eventId) {
        super("event " + eventId + " is being accepted by another hub; try again");
    }
}
