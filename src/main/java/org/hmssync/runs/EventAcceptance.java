package org.hmssync.runs;

import org.hmssync.event.EventStore;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;

/** Makes a new event durable: the event in events.jsonl, then its received line in the ledger. */
public final class EventAcceptance {

    private final EventStore events;
    private final SyncLedger ledger;
    private final LedgerLines lines;

    public EventAcceptance(EventStore events, SyncLedger ledger, LedgerLines lines) {
        this.events = events;
        this.ledger = ledger;
        this.lines = lines;
    }

    /** False when the ledger already knows the id: it is never run twice. */
    public boolean accept(SyncEvent event) {
        return accept(event, null);
    }

    /** As {@link #accept(SyncEvent)}, with the event already written as compact JSON (null: written here). */
    public boolean accept(SyncEvent event, String text) {
        if (!ledger.register(event.id(), event.laneKey())) {
            return false;
        }
        try {
            events.save(event, text);
            ledger.record(lines.hub(event.id(), LedgerLine.RECEIVED, LedgerLine.SUCCESS, null).inBatch(event.batchId()));
            return true;
        } catch (RuntimeException e) {
            ledger.unregister(event.id());
            throw e;
        }
    }
}
