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

    public static SyncEvent of(ObjectNode json) {
        String occurred = json.hasNonNull("occurred_at") ? json.get("occurred_at").asText() : null;
        return new SyncEvent(json.get("id").asText(), json.get("type").asText(),
                (ObjectNode) json.get("payload"), occurred, json);
    }
}
