package org.hmssync.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of {@code ledger.jsonl}, exactly the fields of contract section 5.
 * {@code system} is an adapter name or {@value #HUB}. {@code seq} and {@code hash} are the hash
 * chain's ({@link LedgerChain}): the writer adds them, so a line to be written has neither. A
 * checkpoint line ({@link #CHECKPOINT_ID}) also names the chain's {@code head} before it, signed when
 * the hub has a signing key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"time", "event_id", "batch_id", "system", "action", "result", "attempt", "latency_ms", "error",
        "head", "signature", "seq", "hash"})
public record LedgerLine(
        @JsonProperty("time") String time,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("system") String system,
        @JsonProperty("action") String action,
        @JsonProperty("result") String result,
        @JsonProperty("attempt") Integer attempt,
        @JsonProperty("latency_ms") Long latencyMs,
        @JsonProperty("error") String error,
        @JsonProperty("batch_id") String batchId,
        @JsonProperty("head") LedgerHead head,
        @JsonProperty("signature") String signature,
        @JsonProperty("seq") Long seq,
        @JsonProperty("hash") String hash) {

    public static final String HUB = "hub";
    /**
     * The event id of checkpoint lines: a leading dot, which no event id may have (contract section
     * 1), so no event's fold or lookup ever meets it.
     */
    public static final String CHECKPOINT_ID = ".checkpoint";

    public static final String RECEIVED = "received";
    public static final String PREPARE = "prepare";
    public static final String DECISION = "decision";
    public static final String COMMIT = "commit";
    public static final String ROLLBACK = "rollback";
    public static final String DEAD_LETTER = "dead_letter";
    public static final String REPLAY = "replay";
    public static final String CHECKPOINT = "checkpoint";

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    /** Results of a {@code decision} line. */
    public static final String DECIDE_COMMIT = "commit";
    public static final String DECIDE_ABORT = "abort";
    /** No system follows the event (every adapter's policy excluded it): it ends {@code skipped}. */
    public static final String DECIDE_SKIP = "skip";
    /** Decision: wait for a system that cannot answer now; nothing is held anywhere meanwhile. */
    public static final String DECIDE_HOLD = "hold";

    /** A line to be written: the writer adds its seq and hash. */
    public LedgerLine(String time, String eventId, String system, String action, String result, Integer attempt, Long latencyMs,
                      String error, String batchId) {
        this(time, eventId, system, action, result, attempt, latencyMs, error, batchId, null, null, null, null);
    }

    /** The same line, carrying the batch its event belongs to (contract section 5). */
    public LedgerLine inBatch(String batch) {
        return batch == null || batch.equals(batchId) ? this : new LedgerLine(time, eventId, system, action, result, attempt, latencyMs, error, batch);
    }

    /** This checkpoint line naming {@code before}, the chain's head it follows, and its signature (null: unsigned). */
    LedgerLine checkpointOf(LedgerHead before, String headSignature) {
        return new LedgerLine(time, eventId, system, action, result, attempt, latencyMs, error, batchId, before, headSignature, null, null);
    }

    /** A checkpoint, not a step of an event: no fold counts it. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isCheckpoint() {
        return CHECKPOINT_ID.equals(eventId);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isHub() {
        return HUB.equals(system);
    }
}
