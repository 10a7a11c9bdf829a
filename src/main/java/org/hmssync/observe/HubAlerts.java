package org.hmssync.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.hmssync.dlq.Alerts;
import org.hmssync.dlq.ParkedEvent;
import org.hmssync.ledger.FailureReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's alerts: each is one WARN line (no payload, no money, no reason, which may quote an
 * amount) and one JSON document, {@code {"alert": <kind>, ..., "hub": <this hub's name>}}, handed
 * to every channel (the webhook, RabbitMQ). A channel that fails is logged and costs the caller
 * nothing.
 */
public final class HubAlerts implements Alerts {

    public static final String EVENT_PARKED = "event_parked";
    public static final String CIRCUIT_OPENED = "circuit_opened";
    public static final String CIRCUIT_CLOSED = "circuit_closed";
    /** Every kind there is (their counters exist from the start). */
    public static final List<String> KINDS = List.of(EVENT_PARKED, CIRCUIT_OPENED, CIRCUIT_CLOSED);

    private static final Logger LOG = LoggerFactory.getLogger(HubAlerts.class);

    private final String hub;
    private final ObjectMapper json;
    private final Map<String, Consumer<Alert>> channels;

    /** {@code channels}: by the name a log line gives it ("the webhook", "RabbitMQ"). */
    public HubAlerts(String hub, ObjectMapper json, Map<String, Consumer<Alert>> channels) {
        this.hub = hub;
        this.json = json;
        this.channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    @Override
    public void eventParked(ParkedEvent entry) {
        String id = entry.id();
        String batch = entry.batchId();
        Map<String, String> failed = entry.failedSystems();
        LOG.warn("ALERT {}: event {}{} parked in the DLQ as {}; failed: {}", EVENT_PARKED, id, batch == null ? "" : " of batch " + batch,
                entry.status(), failed.isEmpty() ? "no system (a hub error)"
                        : failed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("alert", EVENT_PARKED);
        doc.put("event_id", id);
        doc.put("batch_id", batch);
        doc.put("status", entry.status());
        doc.put("reason", entry.reason());
        doc.put("parked_at", entry.parkedAt());
        doc.put("systems", entry.systems());
        raise(EVENT_PARKED, id, "event " + id, doc);
    }

    /**
     * A system's circuit moved ({@code closed}, {@code open}, {@code half_open}): a person hears when
     * it opens (the system has been failing) and when it closes again; half open is only a probe.
     */
    public void circuitChanged(String system, String from, String to, int heldEvents) {
        String kind = "open".equals(to) && !"half_open".equals(from) ? CIRCUIT_OPENED
                : "closed".equals(to) ? CIRCUIT_CLOSED : null;
        if (kind == null) {
            return;
        }
        LOG.warn("ALERT {}: the circuit of {} is {} ({} event(s) waiting for it)", kind, system, to, heldEvents);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("alert", kind);
        doc.put("system", system);
        doc.put("circuit", to);
        doc.put("held_events", heldEvents);
        doc.put("at", java.time.Instant.now().toString());
        raise(kind, null, "system " + system, doc);
    }

    private void raise(String kind, String eventId, String subject, Map<String, Object> doc) {
        doc.put("hub", hub);
        Alert alert;
        try {
            alert = new Alert(kind, eventId, subject, json.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            LOG.warn("alert {} of {} could not be written as JSON: {}", kind, subject, FailureReasons.of(e));
            return;
        }
        channels.forEach((name, channel) -> {
            try {
                channel.accept(alert);
            } catch (RuntimeException e) {
                LOG.warn("alert {} of {} not sent to {}: {}", kind, subject, name, FailureReasons.of(e));
            }
        });
    }
}
