package org.hmssync.dlq;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.SyncLedger;

/** The DLQ as the workbench shows it: each parked event now (not as it was parked) and what a person can do. */
public final class WorkbenchViews {

    /** A page of the list, and how many parked events match its filter in all. */
    public record Page(List<Map<String, Object>> entries, int matching) { }

    private final DeadLetterStore dlq;
    private final SyncLedger ledger;
    private final Set<String> systems;

    /** {@code systems}: the configured adapters' names. */
    public WorkbenchViews(DeadLetterStore dlq, SyncLedger ledger, Collection<String> systems) {
        this.dlq = dlq;
        this.ledger = ledger;
        this.systems = Set.copyOf(systems);
    }

    public List<Map<String, Object>> list() {
        return dlq.list().stream().map(p -> view(p, false)).toList();
    }

    /**
     * The parked events that match, in parking order, after the entry {@code afterId} (null: from
     * the first), at most {@code limit}. Only the page's entries are looked up in the ledger.
     *
     * @throws java.util.NoSuchElementException when {@code afterId} is not (or no longer) in the DLQ's order
     */
    public Page list(DeadLetterFilter filter, String afterId, int limit) {
        DeadLetterStore.Slice slice = dlq.select(filter, afterId, limit);
        return new Page(slice.entries().stream().map(p -> view(p, false)).toList(), slice.matching());
    }

    /** The parked entries that match now, in parking order, as parked (what a bulk replay goes through). */
    public List<ParkedEvent> matching(DeadLetterFilter filter) {
        return dlq.matching(filter);
    }

    /** A system a filter may name: a configured adapter, or one a parked entry names (an adapter removed since). */
    public boolean knowsSystem(String name) {
        return systems.contains(name) || dlq.names(name);
    }

    public Optional<Map<String, Object>> find(String id) {
        return dlq.find(id).map(p -> view(p, true));
    }

    private Map<String, Object> view(ParkedEvent parked, boolean whole) {
        Optional<EventRecord> record = ledger.find(parked.id());
        String status = record.map(r -> r.status().wire()).orElse(parked.status());
        Map<String, Object> systems = record.map(EventRecord::systemsView).orElse(parked.systems());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", parked.id());
        item.put("reason", parked.reason());
        item.put("parked_at", parked.parkedAt());
        item.put("status", status);
        item.put("systems", systems);
        item.put("actions", actions(parked.id(), status, record.map(r -> r.systemStates().values())
                .orElseGet(() -> parked.systems().values().stream().map(v -> String.valueOf(((Map<?, ?>) v).get("state"))).toList())));
        if (whole) {
            item.put("event", parked.event());
            item.put("ledger_url", "/ledger?event_id=" + parked.id());
        }
        return item;
    }

    private static Map<String, String> actions(String id, String status, java.util.Collection<String> systemStates) {
        Map<String, String> actions = new LinkedHashMap<>();
        if (status.equals("rolled_back")) {
            actions.put("replay", "/dlq/" + id + "/replay");
        } else if (status.equals("needs_attention")) {
            // forward only while nothing was reversed: a reversed system cannot take the same commit again
            boolean reversed = systemStates.contains("rolled_back");
            if (!reversed) {
                actions.put("retry_straggler", "/dlq/" + id + "/retry-straggler");
            }
            actions.put("roll_back_rest", "/dlq/" + id + "/roll-back-rest");
        }
        return actions;
    }
}
