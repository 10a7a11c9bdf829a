package org.hmssync.ledger;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the ledger keeps counted as it folds its lines, so no question about many events rereads
 * them: events by status, the events final by failure (the DLQ's due), and each batch's members and
 * counts. An event leaves its old place before a line is folded into it and joins its new one after.
 */
final class LedgerTallies {

    private final long[] byStatus = new long[EventStatus.values().length];
    /** Of the rolled_back events, those undone with their rollback token. */
    private long undone;
    private final Set<String> failedFinals = ConcurrentHashMap.newKeySet();
    /** Each batched event's batch: every later line of the event carries it. */
    private final Map<String, String> batchOf = new ConcurrentHashMap<>();
    /** Each batch's events, in the order they were received. */
    private final Map<String, Set<String>> batches = new LinkedHashMap<>();
    private final Map<String, BatchTally> tallies = new HashMap<>();

    /** The line's event joins its batch with the first line that names one. */
    synchronized void joined(LedgerLine line) {
        if (line.batchId() != null && batchOf.putIfAbsent(line.eventId(), line.batchId()) == null) {
            batches.computeIfAbsent(line.batchId(), b -> new LinkedHashSet<>()).add(line.eventId());
            tallies.computeIfAbsent(line.batchId(), b -> new BatchTally()).added();
        }
    }

    /** Before a line is folded into a known event: out of its old counts. */
    synchronized void leave(EventRecord record) {
        move(record, -1);
    }

    /** After: into its new ones. */
    synchronized void enter(EventRecord record) {
        move(record, +1);
        if (record.failedFinal()) {
            failedFinals.add(record.id());
        } else {
            failedFinals.remove(record.id());
        }
    }

    private void move(EventRecord record, int by) {
        EventStatus status = record.status();
        byStatus[status.ordinal()] += by;
        if (status == EventStatus.ROLLED_BACK && record.undone()) {
            undone += by;
        }
        String batch = batchOf.get(record.id());
        if (batch != null) {
            tallies.get(batch).count(record, by);
        }
    }

    synchronized StatusCounts counts() {
        Map<EventStatus, Long> counts = new EnumMap<>(EventStatus.class);
        for (EventStatus status : EventStatus.values()) {
            counts.put(status, byStatus[status.ordinal()]);
        }
        return new StatusCounts(counts, undone);
    }

    List<String> failedFinals() {
        return List.copyOf(failedFinals);
    }

    Optional<String> batchOf(String eventId) {
        return Optional.ofNullable(batchOf.get(eventId));
    }

    synchronized List<String> eventsOf(String batchId) {
        Set<String> ids = batches.get(batchId);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    synchronized Optional<BatchCounts> batchCounts(String batchId) {
        return Optional.ofNullable(tallies.get(batchId)).map(BatchTally::snapshot);
    }

    synchronized List<String> batchIds() {
        return List.copyOf(batches.keySet());
    }
}
