package org.hmssync.ledger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hmssync.event.EventStore;

/**
 * {@code GET /events/{id}}: the ledger's status of an event, with its type from the event store.
 * A final status is shown whole: between a failed event's final line and the end of its run, the
 * hub is still parking it in the DLQ and raising its alert, so a caller who sees {@code rolled_back}
 * must also find its DLQ entry. Views that answer callers wait for that, briefly; nothing else
 * (an undo queued behind a claimant's other events) makes them wait.
 */
public final class EventViews {

    /** How long a view waits for a final event's run to finish parking it: parking is one write, so this is generous. */
    private static final long SETTLE_WAIT_MS = 2_000;
    private static final long SETTLE_SLICE_MS = 50;

    private final SyncLedger ledger;
    private final EventStore events;
    /** The id's current run on this hub (completed when none runs). */
    private final Function<String, CompletableFuture<Void>> runs;

    /** Views as the ledger has them, for callers inside a run (the outcome it announces). */
    public EventViews(SyncLedger ledger, EventStore events) {
        this(ledger, events, id -> CompletableFuture.completedFuture(null));
    }

    /** Views for callers outside the runs: a final event still being parked is shown once it is parked. */
    public EventViews(SyncLedger ledger, EventStore events, Function<String, CompletableFuture<Void>> runs) {
        this.ledger = ledger;
        this.events = events;
        this.runs = runs;
    }

    public Optional<Map<String, Object>> find(String id) {
        return settled(id).map(this::view);
    }

    /** The record, once the run on this hub that ended it failed has parked it (and finished). */
    private Optional<EventRecord> settled(String id) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_WAIT_MS);
        Optional<EventRecord> record = ledger.find(id);
        while (record.isPresent() && record.get().failedFinal() && !record.get().parkedThisRun()) {
            CompletableFuture<Void> run = runs.apply(id);
            long left = deadline - System.nanoTime();
            if (run.isDone() || left <= 0) {
                break;
            }
            try {
                run.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SETTLE_SLICE_MS)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still running, or ended badly: look at the record again
            }
            record = ledger.find(id);
        }
        return record;
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
