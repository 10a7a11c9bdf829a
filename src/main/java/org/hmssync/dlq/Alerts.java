package org.hmssync.dlq;

/**
 * Tells a person what needs one: one method per kind of alert, called where the thing happens,
 * after it is on disk. An implementation never blocks or fails its caller (a webhook that hangs,
 * a broker that is down): the event's run goes on whatever becomes of the alert.
 *
 * <p>A new kind is one method here and its implementation (a circuit that opens:
 * {@code circuitOpened(String system, String reason)}, one that closes: {@code circuitClosed(String system)}).
 */
public interface Alerts {

    /** An event was parked in the DLQ: its {@code dlq/<id>.json} is written and its {@code dead_letter} line is on disk. */
    void eventParked(ParkedEvent entry);

    /** For a hub wired without alerts (tests of the parts). */
    Alerts NONE = new Alerts() {
        @Override
        public void eventParked(ParkedEvent entry) {
            // nobody to tell
        }
    };
}
