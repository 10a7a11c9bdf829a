package org.hmssync.runs;

import org.hmssync.event.SyncEvent;

/** Where {@code POST /events} hands a new, valid event: the local coordinator, or the broker. */
public interface EventSubmission {

    /**
     * Returns once the event is durable: true when it was new, false when another request for the
     * same id won. Throws {@link Unavailable} when it could not be made durable.
     */
    boolean submit(SyncEvent event, String text);

    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
