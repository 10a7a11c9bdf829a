package org.hmssync.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;

/**
 * Parks an event: its {@code dlq/<id>.json} first, forced with its folder, then the ledger's
 * {@code dead_letter} line. Whatever the ledger calls parked is therefore in the DLQ after any
 * crash; a crash between the two leaves a DLQ entry without its line, which the repair writes.
 * Then a person is told ({@link Alerts#eventParked}), which also logs it.
 */
public final class Parking {

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final DeadLetterStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile Alerts alerts = Alerts.NONE;

    public Parking(SyncLedger ledger, LedgerLines lines, DeadLetterStore store, ObjectMapper json, Clock clock) {
        this.ledger = ledger;
        this.lines = lines;
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    /** Set once at wiring: the alerts need the broker, which is connected after the stores are open. */
    public void alertTo(Alerts alerts) {
        this.alerts = alerts;
    }

    /** Parks the event as the ledger has it now; {@code eventText} is the event as stored. */
    public void park(String id, String eventText, String reason) {
        EventRecord record = ledger.find(id).orElseThrow(() -> new IllegalStateException("event " + id + " is not in the ledger"));
        ParkedEvent entry;
        try {
            entry = new ParkedEvent(json.readTree(eventText), reason, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString(),
                    record.status().wire(), record.systemsView());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event " + id + " is unreadable", e);
        }
        store.park(entry);
        if (!record.parkedThisRun()) {
            ledger.record(lines.hub(id, LedgerLine.DEAD_LETTER, LedgerLine.SUCCESS, reason));
        }
        alerts.eventParked(entry);
    }

    /** Takes a resolved event off the list (a replay or a workbench action made it final without failure). */
    public void release(String id) {
        store.release(id);
    }

    public boolean isParked(String id) {
        return store.find(id).isPresent();
    }

    /** When the event was parked, as its DLQ entry says; empty when it is not parked. */
    public java.util.Optional<String> parkedAt(String id) {
        return store.find(id).map(ParkedEvent::parkedAt);
    }
}
