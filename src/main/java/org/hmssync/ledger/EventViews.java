package org.hmssync.ledger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hmssync.event.EventStore;

/** {@code GET /events/{id}}: the ledger's status of an event, with its type from the event store. */
public final class EventViews {

    private final SyncLedger ledger;
    private final EventStore events;

    public EventViews(SyncLedger ledger, EventStore events) {
        this.ledger = ledger;
        this.events = events;
    }

    public Optional<Map<String, Object>> find(String id) {
        return ledger.find(id).map(this::view);
    }

    /** The view of a record already in hand (the event list), without finding it again. */
    public Map<String, Object> view(EventRecord record) {
        return record.view(events.type(record.id()).orElse(null));
    }

    /** For an id seen again: its status, even while its first request is still being stored. */
    public Map<String, Object> known(String id) {
        return find(id).orElseGet(() -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", id);
            v.put("status", "received");
            v.put("rollback_token", id);
            return v;
        });
    }
}
