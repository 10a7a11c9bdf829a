package org.hmssync.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.camel.CamelContext;
import org.hmssync.runs.BatchUndos;
import org.hmssync.runs.InFlightEvents;
import org.hmssync.runs.LedgerRepair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a hub does with the units it holds (see {@link PartitionLeases}). Partition {@code p}: read
 * what the other hubs wrote, finish the partition's unfinished events from the ledger (those its
 * last owner left, such as an undo it had acknowledged), then consume its queue, where the messages
 * the last owner had not acknowledged come first: so a unit whose queue still has a consumer (the
 * last owner's channel, which the broker has not closed yet) is not started until it has none. The intake (the last unit): sort
 * {@code hms.sync.events} onto the partitions. Giving a partition back stops its consumer and
 * waits until none of its events runs here.
 */
public final class PartitionWork implements PartitionLeases.Work {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWork.class);

    public static String partitionRoute(int p) {
        return "hms-partition-" + p;
    }

    public static final String INTAKE_ROUTE = "hms-intake";

    private final CamelContext context;
    private final int partitions;
    private final Runnable follow;
    private final LedgerRepair repair;
    private final InFlightEvents inFlight;
    private final ToIntFunction<String> partitionOfEvent;
    private final BatchUndos batchUndos;
    /** Deliveries of a partition taken by this hub and not finished (set once the consumers exist). */
    private volatile java.util.function.IntUnaryOperator outstanding = p -> 0;

    public PartitionWork(CamelContext context, int partitions, Runnable follow, LedgerRepair repair, BatchUndos batchUndos,
                         InFlightEvents inFlight, ToIntFunction<String> partitionOfEvent) {
        this.batchUndos = batchUndos;
        this.context = context;
        this.partitions = partitions;
        this.follow = follow;
        this.repair = repair;
        this.inFlight = inFlight;
        this.partitionOfEvent = partitionOfEvent;
    }

    /** What this hub keeps per partition (a mainframe window): opened on take, before any run; closed once given back. */
    private volatile java.util.function.IntConsumer onTake = p -> { };
    private volatile java.util.function.IntConsumer onGiveBack = p -> { };

    public void perPartition(java.util.function.IntConsumer take, java.util.function.IntConsumer giveBack) {
        this.onTake = take;
        this.onGiveBack = giveBack;
    }

    public void countOutstanding(java.util.function.IntUnaryOperator outstanding) {
        this.outstanding = outstanding;
    }

    /** Well past the broker's heartbeat timeout: a consumer still there is no vanished hub's. */
    private static final long STRANGER_AFTER_S = 60;
    /** Units found free with a consumer on their queue, since when (the beat's thread only). */
    private final java.util.Map<Integer, Long> waitingSince = new java.util.HashMap<>();

    /** Consumers the broker counts on a unit's queue now (set once the broker is wired). */
    private volatile java.util.function.IntUnaryOperator consumers = unit -> 0;

    public void countConsumers(java.util.function.IntUnaryOperator consumers) {
        this.consumers = consumers;
    }

    /**
     * A hub that vanished (power lost) keeps its channel, and the messages it had not acknowledged,
     * until the broker misses its heartbeats: consuming before would run a claimant's later events
     * first. A queue that keeps a consumer well past that is not the last holder's: said loudly.
     */
    @Override
    public boolean ready(int unit) {
        int others = consumers.applyAsInt(unit);
        if (others == 0) {
            waitingSince.remove(unit);
            return true;
        }
        long since = waitingSince.computeIfAbsent(unit, u -> System.nanoTime());
        long waitedS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
        if (waitedS >= STRANGER_AFTER_S) {
            LOG.warn("cluster: unit {} is free but its queue has kept {} consumer(s) for {} s: not a hub of this cluster's "
                    + "(a hub outside cluster mode on the same broker?); it is not taken while they consume", unit, others, waitedS);
        } else {
            LOG.info("cluster: unit {} is free but its queue still has {} consumer(s), the last holder's: taken once the broker let go",
                    unit, others);
        }
        return false;
    }

    @Override
    public void take(int unit) {
        try {
            if (unit == partitions) {
                context.getRouteController().startRoute(INTAKE_ROUTE);
                return;
            }
            onTake.accept(unit);
            try {
                startPartition(unit);
            } catch (Exception e) {
                onGiveBack.accept(unit);
                throw e;
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not start unit " + unit + ": " + e.getMessage(), e);
        }
    }

    private void startPartition(int unit) throws Exception {
        follow.run();
        java.util.function.Predicate<String> ofUnit = id -> partitionOfEvent.applyAsInt(id) == unit;
        int recovering = repair.finishUnfinished(ofUnit).size();
        if (recovering > 0) {
            LOG.warn("cluster: partition {} taken over: finishing {} unfinished event(s) from the shared ledger", unit, recovering);
        }
        batchUndos.resumeWhere(ofUnit);   // a batch undo its last holder had not finished
        context.getRouteController().startRoute(partitionRoute(unit));
    }

    @Override
    public boolean idle(int unit) {
        return unit == partitions || (outstanding.applyAsInt(unit) == 0
                && inFlight.ids().stream().noneMatch(id -> partitionOfEvent.applyAsInt(id) == unit));
    }

    @Override
    public boolean giveBack(int unit, long drainMs) {
        String route = unit == partitions ? INTAKE_ROUTE : partitionRoute(unit);
        try {
            context.getRouteController().stopRoute(route, 10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("cluster: could not stop {}: {}", route, e.getMessage());
            if (drainMs > 0) {
                return false;   // kept: its consumer would bar every other hub from the queue
            }
        }
        if (unit == partitions) {
            return true;
        }
        if (drainMs == 0) {
            onGiveBack.accept(unit);
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs);
        while (System.nanoTime() < deadline) {
            // the deliveries taken (queued in a lane or running), and the runs that did not come as a delivery (an operator's, a recovery)
            if (idle(unit)) {
                onGiveBack.accept(unit);
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info("cluster: partition {} still has events running (held for a system?); kept", unit);
        try {
            context.getRouteController().startRoute(route);
        } catch (Exception e) {
            LOG.warn("cluster: could not restart {}: {}", route, e.getMessage());
        }
        return false;
    }
}
