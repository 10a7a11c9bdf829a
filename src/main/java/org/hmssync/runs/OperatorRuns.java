package org.hmssync.runs;

import java.util.EnumSet;
import java.util.Set;
import org.hmssync.coordinator.RunKind;
import org.hmssync.dlq.Parking;
import org.hmssync.event.EventReader;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.EventStatus;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;

/**
 * What an operator asks of one event: undo it with its rollback token, replay it from the DLQ, or
 * resolve a needs_attention event forward or backward. Whatever mix arrives at once for one event,
 * at most one attempt runs: an action must win the event's claim, and only then, as the ledger and
 * the DLQ have it after any run it waited for, is it checked against the event.
 */
public final class OperatorRuns implements OperatorDoor {

    /** How long an action waits for the same id's run to finish before it is refused. */
    private static final long WAIT_FOR_RUN_MS = 5_000;
    private static final Set<EventStatus> REPLAYABLE = EnumSet.of(EventStatus.ROLLED_BACK, EventStatus.NEEDS_ATTENTION);
    private static final String NEEDS_ATTENTION_ONLY = "these actions are for needs_attention events (a rolled_back one is replayed)";

    /** The operator's actions, each with the status its run answers with. */
    public enum Action {
        UNDO(RunKind.UNDO, "rolling_back"),
        REPLAY(RunKind.SYNC, "received"),
        RETRY_STRAGGLER(RunKind.FORWARD, "committing"),
        ROLL_BACK_REST(RunKind.BACKWARD, "rolling_back");

        private final RunKind kind;
        private final String startsAs;

        Action(RunKind kind, String startsAs) {
            this.kind = kind;
            this.startsAs = startsAs;
        }

        public String startsAs() {
            return startsAs;
        }

        boolean onParkedOnly() {
            return this != UNDO;
        }
    }

    /** How the request ended: started, or refused with why. */
    public sealed interface Answer permits Started, Unknown, Refused { }

    public record Started(String id, String status) implements Answer { }

    public record Unknown(String id) implements Answer { }

    public record Refused(String id, String why) implements Answer { }

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final Parking parking;
    private final InFlightEvents inFlight;
    private final EventRunner runner;

    public OperatorRuns(SyncLedger ledger, LedgerLines lines, Parking parking, InFlightEvents inFlight, EventRunner runner) {
        this.ledger = ledger;
        this.lines = lines;
        this.parking = parking;
        this.inFlight = inFlight;
        this.runner = runner;
    }

    /** How long an action waits by default for the same id's run to end. */
    public static long defaultWaitMs() {
        return WAIT_FOR_RUN_MS;
    }

    /**
     * Starts the action's run unless it does not apply. {@code waitMs}: how long to wait for another
     * run of the event to end (0: not at all). {@code parkedAs}: for a bulk replay, which must not
     * wait on each event another call holds, the DLQ entry the caller chose; the event is replayed
     * only while it is still parked as that entry, so an event that a concurrent call replayed and
     * that was parked again meanwhile is not replayed twice for one request.
     */
    @Override
    public Answer start(String id, Action action, long waitMs, String parkedAs) {
        EventRecord record = known(id);
        if (record == null) {
            return new Unknown(id);
        }
        String refusal = refusal(record, action, parkedAs);
        if (refusal != null) {
            return new Refused(id, refusal);
        }
        if (!(waitMs > 0 ? inFlight.tryStart(id, waitMs) : inFlight.tryStart(id))) {
            return new Refused(id, "event " + id + " is being processed (" + record.status().wire() + "); try again when it is final");
        }
        refusal = refusal(known(id), action, parkedAs);
        if (refusal != null) {
            inFlight.finish(id);
            return new Refused(id, refusal);
        }
        try {
            if (action == Action.REPLAY) {
                ledger.record(lines.hub(id, LedgerLine.REPLAY, LedgerLine.SUCCESS, null));
            }
        } catch (RuntimeException e) {
            inFlight.finish(id);
            throw e;
        }
        runner.submit(id, action.kind);
        return new Started(id, action.startsAs());
    }

    /** Why the action does not apply to the event as it stands now, or null when it does. */
    private String refusal(EventRecord record, Action action, String parkedAs) {
        String id = record.id();
        EventStatus status = record.status();
        if (action.onParkedOnly() && (!parking.isParked(id) || !status.isFinal())) {
            return "event " + id + " is not parked (it is " + status.wire() + "); only a parked event is replayed or resolved";
        }
        if (parkedAs != null && !parkedAs.equals(parking.parkedAt(id).orElse(null))) {
            return "event " + id + " was parked again since it was chosen; it is replayed by a new request only";
        }
        return switch (action) {
            case UNDO -> status == EventStatus.COMMITTED ? null : "event " + id + " is " + status.wire() + "; only a committed event can be undone";
            case REPLAY -> REPLAYABLE.contains(status) ? null
                    : "event " + id + " is " + status.wire() + "; only a rolled_back or needs_attention event is replayed";
            case RETRY_STRAGGLER, ROLL_BACK_REST -> status == EventStatus.NEEDS_ATTENTION ? null
                    : "event " + id + " is " + status.wire() + "; " + NEEDS_ATTENTION_ONLY;
        };
    }

    private EventRecord known(String id) {
        return id != null && EventReader.ID.matcher(id).matches() ? ledger.find(id).orElse(null) : null;
    }
}
