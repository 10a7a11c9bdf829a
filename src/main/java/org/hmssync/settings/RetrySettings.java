package org.hmssync.settings;

/** Exponential back-off for one adapter's commit and rollback, handed to Camel's redelivery. */
public record RetrySettings(int maxAttempts, long firstDelayMs, double multiplier, long maxDelayMs) {

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry max-attempts must be at least 1, was " + maxAttempts);
        }
    }
}
