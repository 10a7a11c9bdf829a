package org.hmssync.coordinator;

/** Raised at the end of a run that did not commit, so Camel's dead-letter channel parks the event. */
public final class EventParkedException extends RuntimeException {

    public EventParkedException(String reason) {
        super(reason, null, false, false);
    }
}
