package org.hmssync.ledger;

/**
 * Who may accept an event id. One hub decides alone ({@link #LOCAL}: its ledger knows every id);
 * in cluster mode a table decides, so {@code POST /events} on any hub is accepted once.
 */
public interface AcceptedIds {

    /** True when the id was free and is now this hub's to accept. */
    boolean claim(String eventId, String laneKey);

    /**
     * True when another hub's claim on the id, never followed by a line, is this hub's now: one made
     * for the same lane key (whose partition this hub holds now), or one made long ago.
     */
    boolean takeOverStale(String eventId, String laneKey);

    /** Gives back a claim whose acceptance failed. */
    void release(String eventId);

    AcceptedIds LOCAL = new AcceptedIds() {
        @Override
        public boolean claim(String eventId, String laneKey) {
            return true;
        }

        @Override
        public boolean takeOverStale(String eventId, String laneKey) {
            return false;
        }

        @Override
        public void release(String eventId) {
        }
    };
}
