package org.hmssync.broker;

/**
 * Cluster mode: an operator's command (undo, replay, a workbench action) that reached the hub owning
 * its event's partition, as a message with these headers; answered as JSON on its reply-to.
 */
@FunctionalInterface
public interface OperatorCommands {
    /** The action; a publisher's header of this name (or starting so) never reaches a partition queue. */
    String HEADER = "hms_command";
    String EVENT_ID = "hms_command_event_id";
    String WAIT_MS = "hms_command_wait_ms";
    String PARKED_AT = "hms_command_parked_at";

    String answer(String action, String eventId, long waitMs, String parkedAt);
}
