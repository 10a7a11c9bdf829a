package org.hmssync.runs;

/**
 * How an operator's action reaches an event's run: here ({@link OperatorRuns}), or in cluster mode
 * through the broker to the hub that owns the event's partition, which answers the same way.
 */
public interface OperatorDoor {

    OperatorRuns.Answer start(String id, OperatorRuns.Action action, long waitMs, String parkedAs);

    default OperatorRuns.Answer start(String id, OperatorRuns.Action action) {
        return start(id, action, OperatorRuns.defaultWaitMs(), null);
    }

    default OperatorRuns.Answer start(String id, OperatorRuns.Action action, long waitMs) {
        return start(id, action, waitMs, null);
    }

    /** A replay for a bulk replay: not waiting for a run another call holds, and only while parked as {@code parkedAt}. */
    default OperatorRuns.Answer replayIfFree(String id, String parkedAt) {
        return start(id, OperatorRuns.Action.REPLAY, 0, parkedAt);
    }
}
