package org.hmssync.ingress;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.hmssync.ledger.StatusCounts;
import org.hmssync.ledger.SyncLedger;

/**
 * {@code GET /summary}: where things stand now, for the console's header. Every number is a count
 * of the present (events by status from the ledger, parked events from the DLQ store, runs under
 * way), never a counter since the process started: a restart or a fixed event shows at once.
 */
public final class HubSummary {

    private final SyncLedger ledger;
    private final IntSupplier parked;
    private final IntSupplier inFlight;

    public HubSummary(SyncLedger ledger, IntSupplier parked, IntSupplier inFlight) {
        this.ledger = ledger;
        this.parked = parked;
        this.inFlight = inFlight;
    }

    public Map<String, Object> view() {
        StatusCounts counts = ledger.counts();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        counts.byStatus().forEach((status, n) -> byStatus.put(status.wire(), n));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("events", counts.total());
        v.put("by_status", byStatus);
        v.put("undone", counts.undone());
        v.put("dlq", parked.getAsInt());
        v.put("in_flight", inFlight.getAsInt());
        return v;
    }
}
