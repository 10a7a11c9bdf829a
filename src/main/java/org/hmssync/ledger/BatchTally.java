package org.hmssync.ledger;

import java.util.Map;
import java.util.TreeMap;

/**
 * One batch's counts, kept as its events' lines are folded (an event leaves its old counts and
 * joins its new ones on each line), so a batch of 30,000 events is shown without reading them all.
 * Guarded by the ledger's lock.
 */
final class BatchTally {

    private final Map<String, Long> byStatus = new TreeMap<>();
    private final Map<String, Map<String, Long>> systems = new TreeMap<>();
    private long events;
    /** Events committed in their current attempt (the ones a batch undo has to reverse), and those of them rolled back. */
    private long committedOnce;
    private long undone;
    /** Events not yet final, or committed: what a batch undo still waits for. */
    private long unsettled;

    void count(EventRecord record, int by) {
        EventStatus status = record.status();
        byStatus.merge(status.wire(), (long) by, Long::sum);
        record.systemStates().forEach((system, state) -> systems.computeIfAbsent(system, s -> new TreeMap<>()).merge(state, (long) by, Long::sum));
        if (record.committedOnce()) {
            committedOnce += by;
            undone += status == EventStatus.ROLLED_BACK ? by : 0;
        }
        unsettled += !status.isFinal() || status == EventStatus.COMMITTED ? by : 0;
    }

    void added() {
        events++;
    }

    long events() {
        return events;
    }

    /** A copy of the counts, zero counts left out. */
    BatchCounts snapshot() {
        Map<String, Map<String, Long>> bySystem = new TreeMap<>();
        systems.forEach((system, states) -> bySystem.put(system, nonZero(states)));
        return new BatchCounts(events, nonZero(byStatus), bySystem, committedOnce, undone, unsettled == 0);
    }

    private static Map<String, Long> nonZero(Map<String, Long> counts) {
        Map<String, Long> kept = new TreeMap<>();
        counts.forEach((key, n) -> {
            if (n != 0) {
                kept.put(key, n);
            }
        });
        return kept;
    }
}
