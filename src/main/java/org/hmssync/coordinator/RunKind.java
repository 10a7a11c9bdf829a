package org.hmssync.coordinator;

/** Which run of the protocol an event gets, and so where the run begins. */
public enum RunKind {
    /** A new event, or a replay of a parked one: prepare everywhere, then decide. */
    SYNC,
    /** Undo with the rollback token: an abort decided after the commit, for the systems that hold it. */
    UNDO,
    /** Finish what the ledger shows unfinished (after a restart, or a failed write). */
    RECOVER,
    /** An operator, on a needs_attention event: commit where the commit is missing ("retry the straggler"). */
    FORWARD,
    /** An operator, on a needs_attention event: roll back wherever it may still be held ("roll back the rest"). */
    BACKWARD,
    /** A held event whose system may answer again: prepare everywhere again (or be held again). */
    RESUME,
    /** A held event waited longer than HMS_HOLD_MAX_S: it ends rolled back, and is parked. */
    GIVE_UP
}
