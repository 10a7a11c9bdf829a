package org.hmssync.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The memory of a simulated REST system (debit-card vendor, dashboard): what was applied, what
 * was reversed, and the failure mode a person set. Applying and reversing are idempotent by event id,
 * as a real vendor's Idempotency-Key makes them.
 */
public final class SimulatedSystem {

    public enum Mode { UP, DOWN, SLOW }

    private final String name;
    private final ObjectMapper json;
    private final Map<String, Map<String, Object>> applied = new LinkedHashMap<>();
    private volatile Mode mode = Mode.UP;

    public SimulatedSystem(String name, ObjectMapper json) {
        this.name = name;
        this.json = json;
    }

    public String mode() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code PUT .../mode} with body up, down or slow. {@code curl -d down} sends it as a form, which
     * the HTTP server turns into a parameter named "down": both shapes are understood.
     */
    public void setMode(org.apache.camel.Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        Object body = message.getBody();
        String wanted = body instanceof Map<?, ?> form && form.size() == 1
                ? String.valueOf(form.keySet().iterator().next())
                : String.valueOf(message.getBody(String.class)).trim().replace("\"", "");
        message.getHeaders().clear();
        message.setHeader(org.apache.camel.Exchange.CONTENT_TYPE, "application/json");
        try {
            mode = Mode.valueOf(wanted.toUpperCase(Locale.ROOT));
            message.setBody("{\"system\":\"" + name + "\",\"mode\":\"" + mode() + "\"}");
        } catch (IllegalArgumentException e) {
            message.setHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, 400);
            message.setBody("{\"error\":\"mode must be up, down or slow\",\"details\":[]}");
        }
    }

    public String dryRun(String body) throws Exception {
        String eventId = eventId(body);
        return "{\"event_id\":\"" + eventId + "\",\"ok\":true}";
    }

    public synchronized String apply(String body) throws Exception {
        JsonNode load = json.readTree(body);
        String eventId = eventId(body);
        if (!applied.containsKey(eventId)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("event_id", eventId);
            entry.put("state", load.path("state").asText(null));
            entry.put("claimant_id", load.path("claimant_id").asText(null));
            entry.put("delta_usd", load.path("delta_usd").decimalValue());
            entry.put("reversed", false);
            applied.put(eventId, entry);
        }
        return json.writeValueAsString(applied.get(eventId));
    }

    public synchronized String reverse(String body) throws Exception {
        String eventId = eventId(body);
        Map<String, Object> entry = applied.get(eventId);
        if (entry != null) {
            entry.put("reversed", true);
        }
        return "{\"event_id\":\"" + eventId + "\",\"reversed\":" + (entry != null) + "}";
    }

    /** {@code GET /sim/debit-vendor/loads}. */
    public synchronized String loads() throws Exception {
        return json.writeValueAsString(new ArrayList<>(applied.values()));
    }

    /** {@code GET /sim/dashboard/program-cost?state=OH}: the sum of what applies, reversals netted. */
    public synchronized String programCost(String state) throws Exception {
        BigDecimal total = BigDecimal.ZERO;
        int events = 0;
        for (Map<String, Object> entry : applied.values()) {
            boolean matches = state == null || state.isBlank() || state.equals(entry.get("state"));
            if (matches && !Boolean.TRUE.equals(entry.get("reversed"))) {
                total = total.add((BigDecimal) entry.get("delta_usd"));
                events++;
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("state", state);
        answer.put("program_cost_usd", total);
        answer.put("events", events);
        return json.writeValueAsString(answer);
    }

    private String eventId(String body) throws Exception {
        JsonNode node = json.readTree(body == null ? "" : body);
        if (node == null || !node.hasNonNull("event_id")) {
            throw new IllegalArgumentException("event_id is required");
        }
        return node.get("event_id").asText();
    }

}
