package org.hmssync.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated sync event. {@code json} is the whole event as it came in (extra fields kept),
 * so the DLQ and replays hand on exactly what the publisher sent.
 */
public record SyncEvent(String id, String type, ObjectNode payload, String occurredAt, ObjectNode json) {

    /** The batch the event belongs to (its rollback token undoes the whole batch), or null. */
    public String batchId() {
        return json.hasNonNull("batch_id") ? json.get("batch_id").asText() : null;
    }

    /**
     * What orders the event against others: its claimant, else its state, else itself. Events with
     * one key are applied in the order they came (one lane; in cluster mode one partition).
     */
    public String laneKey() {
        return laneKeyOf(id, payload);
    }

    static String laneKeyOf(String id, com.fasterxml.jackson.databind.JsonNode payload) {
        String claimant = payload == null ? "" : payload.path("claimant_id").asText("");
        if (!claimant.isEmpty()) {
            return "claimant:" + claimant;
        }
        String state = payload == null ? "" : payload.path("state").asText("");
        return state.isEmpty() ? "event:" + id : "state:" + state;
    }

    public static SyncEvent of(ObjectNode json) {
        String occurred = json.hasNonNull("occurred_at") ? json.get("occurred_at").asText() : null;
        return new SyncEvent(json.get("id").asText(), json.get("type").asText(),
                (ObjectNode) json.get("payload"), occurred, json);
    }
}
