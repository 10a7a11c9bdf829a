package org.hmssync.coordinator;

/**
 * One system's answer to prepare, as counted. {@code error} says why a no is a no; {@code silent}
 * means no answer came in time, so the system may still be preparing and is rolled back all the same.
 */
public record Vote(boolean yes, long latencyMs, String error, boolean silent) {

    public static Vote yes(long latencyMs) {
        return new Vote(true, latencyMs, null, false);
    }

    public static Vote no(long latencyMs, String error) {
        return new Vote(false, latencyMs, error, false);
    }

    public static Vote timedOut(long timeoutMs) {
        return new Vote(false, timeoutMs, "no answer within " + timeoutMs + " ms", true);
    }

    /** A rollback must reach a system that said yes or may still say it. */
    public boolean mayHoldPrepare() {
        return yes || silent;
    }
}
