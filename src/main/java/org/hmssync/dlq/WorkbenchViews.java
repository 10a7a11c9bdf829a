package org.hmssync.dlq;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.SyncLedger;

/** The DLQ as the workbench shows it: each parked event now (not as it was parked) and what a person can do. */
public final class WorkbenchViews {

    private final DeadLetterStore dlq;
    private final SyncLedger ledger;

    public WorkbenchViews(DeadLetterStore dlq, SyncLedger ledger) {
        this.dlq = dlq;
        this.ledger = ledger;
    }

    public List<Map<String, Object>> list() {
        return dlq.list().stream().map(p -> view(p, false)).toList();
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
