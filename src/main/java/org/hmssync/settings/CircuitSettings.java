package org.hmssync.settings;

/**
 * Each system's circuit ({@code hms.circuit.*}) and how long events wait for a failing system
 * ({@code hms.hold.max-s}; 0: they do not wait, an open circuit fails fast and the event parks).
 */
public record CircuitSettings(int windowSize, int minimumCalls, float failureRatePercent, long openWaitMs, double openWaitMultiplier,
                              long openWaitMaxMs, int halfOpenCalls, long holdMaxS) {

    public CircuitSettings {
        if (holdMaxS < 0) {
            throw new IllegalArgumentException("hms.hold.max-s (HMS_HOLD_MAX_S) must be 0 (do not hold) or a number of seconds");
        }
        if (windowSize < 1 || minimumCalls < 1 || halfOpenCalls < 1 || failureRatePercent <= 0 || failureRatePercent > 100 || openWaitMs < 1) {
            throw new IllegalArgumentException("hms.circuit.*: window-size, minimum-calls and half-open-calls must be 1 or more, "
                    + "failure-rate-percent above 0 and at most 100, open-wait-ms 1 or more");
        }
    }

    public boolean holds() {
        return holdMaxS > 0;
    }

    public long holdMaxMs() {
        return holdMaxS * 1000;
    }
}
