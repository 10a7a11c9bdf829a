package org.hmssync.runs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.hmssync.ledger.BatchUndoRequests;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.EventStatus;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rollback token for a whole batch: undo every committed event of the batch on every system,
 * each in its claimant's lane like any undo. The request is on disk first; an event of the batch
 * still running when it comes is undone as soon as it commits; asking again undoes nothing twice
 * (each event's undo is the one-attempt undo of an event, refused once it is no longer committed);
 * after a restart the undo goes on. New events of the batch are refused from then on.
 */
public final class BatchUndos {

    private static final Logger LOG = LoggerFactory.getLogger(BatchUndos.class);

    /** The answer to a request: how many events were committed (to undo) when it came. */
    public record Requested(String batchId, int toUndo) { }

    private final SyncLedger ledger;
    private final BatchUndoRequests requests;
    private final OperatorDoor operator;
    private final Executor executor;
    /** The events this hub undoes: all of them on one hub; in cluster mode those of its partitions. */
    private volatile java.util.function.Predicate<String> owned = id -> true;

    public BatchUndos(SyncLedger ledger, BatchUndoRequests requests, OperatorDoor operator, Executor executor) {
        this.ledger = ledger;
        this.requests = requests;
        this.operator = operator;
        this.executor = executor;
        // cluster mode: a batch undo asked for on another hub reaches this one's events here
        requests.onNew(batch -> executor.execute(() -> undoCommitted(batch, owned)));
    }

    /**
     * Cluster mode: each hub undoes the events of the partitions it holds, when the request reaches
     * it (asked here, or read from another hub) and when it takes a partition over ({@link #resumeWhere}).
     */
    public void undoOnly(java.util.function.Predicate<String> ownedHere) {
        this.owned = ownedHere;
    }

    /** {@code POST /batches/{id}/rollback}; empty for a batch the ledger does not know. */
    public Optional<Requested> request(String batchId) {
        List<String> events = ledger.eventsOf(batchId);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        boolean first = requests.find(batchId).isEmpty();
        requests.request(batchId);
        int toUndo = (int) events.stream().filter(id -> status(id) == EventStatus.COMMITTED).count();
        if (first) {
            LOG.warn("batch {}: undo asked for, {} of its {} events committed", batchId, toUndo, events.size());
        }
        executor.execute(() -> undoCommitted(batchId, owned));
        return Optional.of(new Requested(batchId, toUndo));
    }

    /** After any run of an event: one of a batch being undone that is committed now is undone too. */
    public void afterRun(String id) {
        ledger.batchOf(id).filter(batch -> requests.find(batch).isPresent()).ifPresent(batch -> {
            if (status(id) == EventStatus.COMMITTED) {
                operator.start(id, OperatorRuns.Action.UNDO, 0);
            }
        });
    }

    /** At start: the undos a restart cut short go on. */
    public void resume() {
        resumeWhere(owned);
    }

    /** The undos asked for go on for the events {@code which} accepts (cluster mode: a partition just taken over). */
    public void resumeWhere(java.util.function.Predicate<String> which) {
        requests.all().forEach(request -> executor.execute(() -> undoCommitted(request.batchId(), which)));
    }

    /**
     * Every committed event of the batch gets its undo, without waiting for events that another run
     * holds: those are undone by {@link #afterRun} once their run ends.
     */
    private void undoCommitted(String batchId, java.util.function.Predicate<String> which) {
        int started = 0;
        for (String id : ledger.eventsOf(batchId)) {
            if (which.test(id) && status(id) == EventStatus.COMMITTED && operator.start(id, OperatorRuns.Action.UNDO, 0) instanceof OperatorRuns.Started) {
                started++;
            }
        }
        LOG.info("batch {}: {} undo(s) started", batchId, started);
    }

    private EventStatus status(String id) {
        return ledger.find(id).map(EventRecord::status).orElse(null);
    }

    /** {@code GET /batches/{id}}: the batch's events by status, each system's states, and its undo (counts kept by the ledger). */
    public Optional<Map<String, Object>> view(String batchId) {
        return ledger.batchCounts(batchId).map(counts -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("batch_id", batchId);
            view.put("events", counts.events());
            view.put("by_status", counts.byStatus());
            view.put("systems", counts.systems());
            view.put("rollback", requests.find(batchId).map(request -> {
                Map<String, Object> rollback = new LinkedHashMap<>();
                rollback.put("status", !counts.settled() ? "running" : counts.byStatus().containsKey("needs_attention") ? "needs_attention" : "done");
                rollback.put("requested_at", request.requestedAt());
                rollback.put("total", counts.committedOnce());
                rollback.put("done", counts.undone());
                return rollback;
            }).orElse(null));
            return view;
        });
    }

    /** {@code GET /batches}: each batch the ledger knows, with its size and whether its undo was asked for. */
    public List<Map<String, Object>> list() {
        return ledger.batchIds().stream().map(batch -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("batch_id", batch);
            item.put("events", ledger.eventsOf(batch).size());
            item.put("rollback_requested_at", requests.find(batch).map(BatchUndoRequests.Request::requestedAt).orElse(null));
            item.put("status_url", "/batches/" + batch);
            return item;
        }).toList();
    }
}
