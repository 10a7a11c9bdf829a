package org.hmssync.coordinator;

/** Message headers the hub sets for adapters (contract section 6). */
public final class HmsHeaders {

    /** The event id, which is also its rollback token. */
    public static final String ROLLBACK_TOKEN = "HmsRollbackToken";

    /** Internal: which run the coordinator makes of an event ({@value #RUN_SYNC}, {@value #RUN_UNDO} or {@value #RUN_RECOVER}). */
    public static final String RUN = "HmsRun";
    public static final String RUN_SYNC = "sync";
    public static final String RUN_UNDO = "undo";
    /** Finish an event the ledger shows unfinished (after a restart). */
    public static final String RUN_RECOVER = "recover";
    /** Operator, on a needs_attention event: commit where it is missing ("retry the straggler"). */
    public static final String RUN_FORWARD = "forward";
    /** Operator, on a needs_attention event: roll back wherever it may still be held ("roll back the rest"). */
    public static final String RUN_BACKWARD = "backward";

    private HmsHeaders() {
    }
}
