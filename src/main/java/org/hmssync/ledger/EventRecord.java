package org.hmssync.ledger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status of one event, folded from its ledger lines and nothing else, so that a restart
 * rebuilds exactly what the hub knew. Hub lines move the event; adapter lines move one system.
 */
public final class EventRecord {

    private final String id;
    private EventStatus status = EventStatus.RECEIVED;
    private String decision;
    private boolean deadLettered;
    private boolean committedOnce;
    /** This run's rollback was asked for (an undo, or rolling back the rest of a needs_attention event), not a failure. */
    private boolean rollbackAsked;
    /** A dead_letter line since the run began: the DLQ has it. */
    private boolean parkedThisRun;
    private String reason;
    private int attempt = 1;
    private String receivedAt;
    /** When this attempt was first held (the hold's limit counts from here); null when it was not. */
    private String heldSince;
    private String updatedAt;
    private Map<String, SystemState> systems = new TreeMap<>();

    EventRecord(String id) {
        this.id = id;
    }

    /** The fold of an event's lines, oldest first (a proof's, checked against what it claims). */
    public static EventRecord of(String id, java.util.List<LedgerLine> lines) {
        EventRecord record = new EventRecord(id);
        lines.forEach(record::apply);
        return record;
    }

    synchronized void apply(LedgerLine line) {
        updatedAt = line.time();
        if (line.isHub()) {
            applyHub(line);
            return;
        }
        if (LedgerLine.PREPARE.equals(line.action()) && status == EventStatus.HELD) {
            // a held event tries again: what the systems did before the hold was rolled back
            systems = new TreeMap<>();
            decision = null;
            status = EventStatus.PREPARING;
        }
        systems.computeIfAbsent(line.system(), s -> new SystemState()).apply(line);
        if (LedgerLine.PREPARE.equals(line.action()) && status == EventStatus.RECEIVED) {
            status = EventStatus.PREPARING;
        }
    }

    private void applyHub(LedgerLine line) {
        switch (line.action()) {
            case LedgerLine.RECEIVED -> receivedAt = receivedAt == null ? line.time() : receivedAt;
            case LedgerLine.REPLAY -> {
                attempt++;
                status = EventStatus.RECEIVED;
                decision = null;
                deadLettered = false;
                committedOnce = false;
                rollbackAsked = false;
                parkedThisRun = false;
                reason = null;
                heldSince = null;
                systems = new TreeMap<>();
            }
            case LedgerLine.DECISION -> {
                if (LedgerLine.DECIDE_HOLD.equals(line.result())) {
                    status = EventStatus.HELD;
                    heldSince = heldSince == null ? line.time() : heldSince;
                    decision = line.result();
                    reason = line.error() != null ? line.error() : reason;
                    return;
                }
                decision = line.result();
                rollbackAsked = LedgerLine.DECIDE_ABORT.equals(decision)
                        && (status == EventStatus.COMMITTED || status == EventStatus.NEEDS_ATTENTION);
                parkedThisRun = false;
                status = switch (decision) {
                    case LedgerLine.DECIDE_COMMIT -> EventStatus.COMMITTING;
                    case LedgerLine.DECIDE_SKIP -> EventStatus.SKIPPED;
                    default -> EventStatus.ROLLING_BACK;
                };
                reason = line.error() != null ? line.error() : reason;
            }
            case LedgerLine.COMMIT -> {
                committedOnce |= LedgerLine.SUCCESS.equals(line.result());
                status = LedgerLine.SUCCESS.equals(line.result()) ? EventStatus.COMMITTED : EventStatus.ROLLING_BACK;
                reason = line.error() != null ? line.error() : reason;
            }
            case LedgerLine.ROLLBACK -> {
                status = LedgerLine.SUCCESS.equals(line.result()) ? EventStatus.ROLLED_BACK : EventStatus.NEEDS_ATTENTION;
                reason = line.error() != null ? line.error() : reason;
            }
            case LedgerLine.DEAD_LETTER -> {
                deadLettered = true;
                parkedThisRun = true;
                reason = line.error() != null ? line.error() : reason;
            }
            default -> { }
        }
    }

    public String id() {
        return id;
    }

    public synchronized EventStatus status() {
        return status;
    }

    public synchronized String reason() {
        return reason;
    }

    public synchronized String updatedAt() {
        return updatedAt == null ? "" : updatedAt;
    }

    /** When this attempt was first held, as written in the ledger; null if it never was. */
    public synchronized String heldSince() {
        return heldSince;
    }

    public synchronized int attempt() {
        return attempt;
    }

    /** True once this attempt reached committed: a rollback after it is an undo, not a failure. */
    public synchronized boolean committedOnce() {
        return committedOnce;
    }

    /**
     * Final by failure: rolled back because something failed (not by an undo or an operator's
     * roll back the rest), or needing attention. Such an event belongs in the DLQ.
     */
    public synchronized boolean failedFinal() {
        return status == EventStatus.NEEDS_ATTENTION || (status == EventStatus.ROLLED_BACK && !rollbackAsked);
    }

    /** A dead_letter line was written since this run began. */
    public synchronized boolean parkedThisRun() {
        return parkedThisRun;
    }

    /**
     * True when this attempt was committed and then undone with its rollback token (an abort
     * decided after the commit): an operator's choice, not a failure.
     */
    public synchronized boolean undone() {
        return committedOnce && LedgerLine.DECIDE_ABORT.equals(decision);
    }

    /** Every system this attempt's lines name. */
    public synchronized java.util.Set<String> systems() {
        return java.util.Set.copyOf(systems.keySet());
    }

    /** Systems the ledger says hold the event as committed (commit success, no rollback success). */
    public synchronized java.util.List<String> committedSystems() {
        return systems.entrySet().stream().filter(e -> e.getValue().committed()).map(Map.Entry::getKey).toList();
    }

    /** Each system's state now ({@code committed}, {@code rolled_back}, {@code refused}, ...), by system name. */
    public synchronized Map<String, String> systemStates() {
        Map<String, String> states = new LinkedHashMap<>();
        systems.forEach((name, state) -> states.put(name, state.state()));
        return states;
    }

    /** The system views for {@code GET /events/{id}} and the DLQ file. */
    public synchronized Map<String, Object> systemsView() {
        Map<String, Object> v = new LinkedHashMap<>();
        systems.forEach((name, state) -> v.put(name, state.view()));
        return v;
    }

    /** {@code GET /events/{id}}; {@code type} comes from the event store. */
    public synchronized Map<String, Object> view(String type) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("type", type);
        v.put("status", status.wire());
        v.put("decision", decision);
        v.put("systems", systemsView());
        v.put("dead_lettered", deadLettered);
        v.put("reason", reason);
        v.put("attempt", attempt);
        v.put("rollback_token", id);
        v.put("received_at", receivedAt);
        v.put("updated_at", updatedAt);
        v.put("undone", undone());
        if (heldSince != null) {
            v.put("held_since", heldSince);
        }
        return v;
    }
}
