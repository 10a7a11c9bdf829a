package org.hmssync.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of {@code ledger.jsonl}, exactly the fields of contract section 5.
 * {@code system} is an adapter name or {@value #HUB}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"time", "event_id", "batch_id", "system", "action", "result", "attempt", "latency_ms", "error"})
public record LedgerLine(
        @JsonProperty("time") String time,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("system") String system,
        @JsonProperty("action") String action,
        @JsonProperty("result") String result,
        @JsonProperty("attempt") Integer attempt,
        @JsonProperty("latency_ms") Long latencyMs,
        @JsonProperty("error") String error,
        @JsonProperty("batch_id") String batchId) {

    public static final String HUB = "hub";

    public static final String RECEIVED = "received";
    public static final String PREPARE = "prepare";
    public static final String DECISION = "decision";
    public static final String COMMIT = "commit";
    public static final String ROLLBACK = "rollback";
    public static final String DEAD_LETTER = "dead_letter";
    public static final String REPLAY = "replay";

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    /** Results of a {@code decision} line. */
    public static final String DECIDE_COMMIT = "commit";
    public static final String DECIDE_ABORT = "abort";
    /** No system follows the event (every adapter's policy excluded it): it ends {@code skipped}. */
    public static final String DECIDE_SKIP = "skip";
    /** Decision: wait for a system that cannot answer now; nothing is held anywhere meanwhile. */
    public static final String DECIDE_HOLD = "hold";

    /** The same line, carrying the batch its event belongs to (contract section 5). */
    public LedgerLine inBatch(String batch) {
        return batch == null || batch.equals(batchId) ? this : new LedgerLine(time, eventId, system, action, result, attempt, latencyMs, error, batch);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isHub() {
        return HUB.equals(system);
    }
}
