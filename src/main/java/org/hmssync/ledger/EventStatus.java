package org.hmssync.ledger;

/** Contract section 2. The wire names are the lower-case names. */
public enum EventStatus {
    RECEIVED, PREPARING, COMMITTING, COMMITTED, ROLLING_BACK, ROLLED_BACK, NEEDS_ATTENTION,
    /** Every adapter's policy excluded the event: nothing was asked of any system. */
    SKIPPED,
    /** Waiting, durably, for a system that cannot answer now (HMS_HOLD_MAX_S > 0); it prepares again when the system is back. */
    HELD;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isFinal() {
        return this == COMMITTED || this == ROLLED_BACK || this == NEEDS_ATTENTION || this == SKIPPED;
    }
}
