package org.hmssync.coordinator;

/**
 * One system's answer to prepare, as counted. {@code error} says why a no is a no; {@code silent}
 * means no answer came in time, so the system may still be preparing and is rolled back all the
 * same; {@code unavailable} means the no came from a system that could not answer (a 5xx, a
 * timeout, a refused connection, an open circuit), not from one that refused.
 */
public record Vote(boolean yes, long latencyMs, String error, boolean silent, boolean unavailable) {

    public static Vote yes(long latencyMs) {
        return new Vote(true, latencyMs, null, false, false);
    }

    public static Vote no(long latencyMs, String error, boolean unavailable) {
        return new Vote(false, latencyMs, error, false, unavailable);
    }

    public static Vote timedOut(long timeoutMs) {
        return new Vote(false, timeoutMs, "no answer within " + timeoutMs + " ms", true, true);
    }

    /** A rollback must reach a system that said yes or may still say it. */
    public boolean mayHoldPrepare() {
        return yes || silent;
    }
}
