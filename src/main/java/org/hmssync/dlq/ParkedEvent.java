package org.hmssync.dlq;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code dlq/<id>.json}: contract section 5. */
@JsonPropertyOrder({"event", "reason", "parked_at", "status", "systems"})
public record ParkedEvent(
        @JsonProperty("event") JsonNode event,
        @JsonProperty("reason") String reason,
        @JsonProperty("parked_at") String parkedAt,
        @JsonProperty("status") String status,
        @JsonProperty("systems") Map<String, Object> systems) {

    public String id() {
        return event.path("id").asText();
    }

    /** The event's {@code batch_id}; null when it has none. */
    public String batchId() {
        return event.path("batch_id").asText(null);
    }

    /** The system's state as this entry has it ({@code refused}, {@code rolled_back}, ...); null when the entry does not name it. */
    public String stateOf(String system) {
        Object view = systems == null ? null : systems.get(system);
        return view instanceof Map<?, ?> state && state.get("state") != null ? String.valueOf(state.get("state")) : null;
    }

    /** The systems whose state is a failure ({@link DeadLetterFilter#FAILED_STATES}), with that state, in the entry's order. */
    public Map<String, String> failedSystems() {
        Map<String, String> failed = new LinkedHashMap<>();
        if (systems != null) {
            for (String system : systems.keySet()) {
                String state = stateOf(system);
                if (state != null && DeadLetterFilter.FAILED_STATES.contains(state)) {
                    failed.put(system, state);
                }
            }
        }
        return failed;
    }
}
