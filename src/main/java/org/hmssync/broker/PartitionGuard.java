package org.hmssync.broker;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;
import org.hmssync.event.SyncEvent;

/**
 * Cluster mode, on the partition queues: which delivered events this hub may run, and how many of
 * each partition's deliveries it has taken and not finished (what a hub giving a partition back
 * waits for).
 */
public final class PartitionGuard {

    private final ToIntFunction<SyncEvent> partitionOf;
    private final IntPredicate held;
    private final AtomicIntegerArray outstanding;

    /** {@code held}: whether this hub holds a partition now. */
    public PartitionGuard(ToIntFunction<SyncEvent> partitionOf, int partitions, IntPredicate held) {
        this.partitionOf = partitionOf;
        this.held = held;
        this.outstanding = new AtomicIntegerArray(partitions);
    }

    /** False once this hub gave the event's partition up since it was delivered: it is left to the new holder. */
    boolean stillOurs(SyncEvent event) {
        return held.test(partitionOf.applyAsInt(event));
    }

    /** A delivery of the event's partition is taken; the returned step marks it finished (call it once). */
    Runnable taken(SyncEvent event) {
        int partition = partitionOf.applyAsInt(event);
        outstanding.incrementAndGet(partition);
        return () -> outstanding.decrementAndGet(partition);
    }

    /** Deliveries of the partition taken here and not finished yet (queued in a lane, running, or held). */
    public int outstanding(int partition) {
        return outstanding.get(partition);
    }
}
