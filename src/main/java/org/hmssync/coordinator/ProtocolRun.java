package org.hmssync.coordinator;

/**
 * One event's run of the two-phase protocol, owned by the thread that drives it: the phase it is
 * in and how it ends. It moves prepare → decide → commit | rollback → done, beginning wherever its
 * {@link RunKind} begins. Whatever the branches report goes into its {@link SyncAttempt}.
 */
final class ProtocolRun {

    enum Phase { PREPARE, DECIDE, COMMIT, ROLLBACK, DONE }

    /** Why a run that does not commit ends as it does. */
    enum Outcome {
        /** Some system voted no or stayed silent. */
        ABORTED,
        /** A commit still failed after its retries: rolled back everywhere. */
        COMPENSATED,
        /** Asked for: an undo, or rolling back the rest of a needs_attention event. */
        UNDONE,
        /** No adapter's policy takes the event. */
        SKIPPED,
        /** Some system cannot answer now: the event waits for it (nothing is held anywhere). */
        HELD
    }

    private final SyncAttempt attempt;
    private Phase phase;
    private Outcome outcome;
    /** The systems the event waits for, once it is held, or will wait for once its rollback is done. */
    private java.util.List<String> waitFor = java.util.List.of();
    /** Rounds of waiting for a commit that a system could not take. */
    private int commitWaits;

    ProtocolRun(SyncAttempt attempt, Phase start) {
        this.attempt = attempt;
        this.phase = start;
    }

    /** A run that begins after its abort was decided (an undo, a rollback to finish). */
    static ProtocolRun rollingBack(SyncAttempt attempt, Outcome outcome) {
        ProtocolRun run = new ProtocolRun(attempt, Phase.ROLLBACK);
        run.outcome = outcome;
        return run;
    }

    SyncAttempt attempt() {
        return attempt;
    }

    Phase phase() {
        return phase;
    }

    Outcome outcome() {
        return outcome;
    }

    void moveTo(Phase next) {
        phase = next;
    }

    /** Ends the commit path: roll back, for this reason. */
    void rollBack(Outcome why) {
        outcome = why;
        phase = Phase.ROLLBACK;
    }

    /** Roll back, then hold for these systems (they could not answer the prepare). */
    void rollBackThenHold(java.util.List<String> systems) {
        rollBack(Outcome.ABORTED);
        waitFor = java.util.List.copyOf(systems);
    }

    boolean holdsAfterRollback() {
        return outcome == Outcome.ABORTED && !waitFor.isEmpty();
    }

    /** Ends the run held: the event waits for these systems. */
    void hold(java.util.List<String> systems) {
        outcome = Outcome.HELD;
        waitFor = java.util.List.copyOf(systems);
        phase = Phase.DONE;
    }

    java.util.List<String> waitFor() {
        return waitFor;
    }

    int nextCommitWait() {
        return commitWaits++;
    }

    void skip() {
        outcome = Outcome.SKIPPED;
        phase = Phase.DONE;
    }
}
