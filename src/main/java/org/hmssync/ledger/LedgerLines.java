package org.hmssync.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds ledger lines with the hub's clock, so callers only say what happened. */
public final class LedgerLines {

    private final Clock clock;

    public LedgerLines(Clock clock) {
        this.clock = clock;
    }

    public LedgerLine hub(String eventId, String action, String result, String error) {
        return new LedgerLine(now(), eventId, LedgerLine.HUB, action, result, null, null, error, null);
    }

    public LedgerLine system(String eventId, String system, String action, String result,
                             Integer attempt, Long latencyMs, String error) {
        return new LedgerLine(now(), eventId, system, action, result, attempt, latencyMs, error, null);
    }

    /** A checkpoint: the writer adds the head it follows (and its signature). */
    public LedgerLine checkpoint() {
        return hub(LedgerLine.CHECKPOINT_ID, LedgerLine.CHECKPOINT, LedgerLine.SUCCESS, null);
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
