package org.hmssync.coordinator;

/** One system's answer to prepare. {@code error} says why a no is a no. */
public record Vote(boolean yes, long latencyMs, String error) {

    public static Vote timedOut(long timeoutMs) {
        return new Vote(false, timeoutMs, "no answer within " + timeoutMs + " ms");
    }
}
