package org.hmssync.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hmssync.event.EventReader;

/**
 * The answer to a request that is not a valid event, for its {@code reply_to}: the same error
 * document as {@code POST /events} answers with 400, plus the id (when one could be read) and
 * {@code "status": "rejected"}, so a request/reply publisher is never left waiting.
 */
public final class Rejections {

    public static final String STATUS = "rejected";

    private final ObjectMapper json;
    private final int maxBodyBytes;

    public Rejections(ObjectMapper json, int maxBodyBytes) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    public String json(byte[] body, String reason, List<?> details) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", idOf(body));
        answer.put("status", STATUS);
        answer.put("error", reason);
        answer.put("details", details);
        try {
            return json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event's id where the body is a JSON object with a valid one; an id that breaks its rule is not echoed. */
    String idOf(byte[] body) {
        if (body == null || body.length == 0 || body.length > maxBodyBytes) {
            return null;
        }
        try {
            JsonNode id = json.readTree(body).path("id");
            return id.isTextual() && EventReader.ID.matcher(id.asText()).matches() ? id.asText() : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }
}
