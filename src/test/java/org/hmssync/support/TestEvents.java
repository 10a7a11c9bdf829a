package org.hmssync.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hmssync.event.SyncEvent;

/** Sync events for tests that need one without a hub. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A benefit adjustment of $25; {@code state} and {@code claimant} may be null (left out). */
    public static SyncEvent event(String id, String state, String claimant) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id).put("type", "benefit_adjusted");
        ObjectNode payload = json.putObject("payload");
        if (state != null) {
            payload.put("state", state);
        }
        if (claimant != null) {
            payload.put("claimant_id", claimant);
        }
        payload.put("delta_usd", new java.math.BigDecimal("25"));
        return SyncEvent.of(json);
    }
}
