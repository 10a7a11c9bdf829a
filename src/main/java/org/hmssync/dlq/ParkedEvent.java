package org.hmssync.dlq;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
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
}
