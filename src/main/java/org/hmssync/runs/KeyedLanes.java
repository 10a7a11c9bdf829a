package org.hmssync.runs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hmssync.event.SyncEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time per key, in the order they were submitted, and tasks of different keys
 * in parallel on a fixed pool. The key of an event is its claimant, else its state, else its id:
 * two adjustments for one claimant reach every system in the order they were published.
 *
 * <p>A task may end before its work does (an event held while a system is down): it returns a
 * future, and its lane waits for that future without holding a thread; other lanes go on.
 */
public final class KeyedLanes {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedLanes.class);

    /** One task of a lane: returns null (or a completed future) when done, else the future its lane waits for. */
    @FunctionalInterface
    public interface Task {
        CompletableFuture<?> run();
    }

    private final ExecutorService pool;
    private final Semaphore room;
    private final Map<String, Deque<Task>> lanes = new HashMap<>();   // a key is here while its lane runs or waits
    private int active;          // queued or running, not waiting; guarded by lanes
    private boolean closed;      // guarded by lanes

    /** {@code maxWaiting}: tasks accepted but not finished; submit blocks beyond it (back-pressure). */
    public KeyedLanes(ExecutorService pool, int maxWaiting) {
        this.pool = pool;
        this.room = new Semaphore(maxWaiting);
    }

    /** Waits, at most {@code timeoutMs}, until no task is queued or running (a lane waiting for a held event does not count). */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lanes) {
            while (active > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lanes, left);
            }
            return true;
        }
    }

    /**
     * The hub is stopping: no task starts from now on (what is queued stays in the ledger for the
     * recovery at the next start), and the running ones get up to {@code drainMs} to finish.
     */
    public void close(long drainMs) throws InterruptedException {
        int dropped = 0;
        synchronized (lanes) {
            closed = true;
            for (Deque<Task> lane : lanes.values()) {
                dropped += lane.size();
                lane.clear();
            }
            active -= dropped;
            lanes.notifyAll();
        }
        room.release(dropped);
        if (dropped > 0) {
            LOG.info("stopping: {} queued run(s) left for the recovery at the next start", dropped);
        }
        if (!awaitIdle(drainMs)) {
            LOG.warn("stopping with runs still going after {} ms; the recovery at the next start finishes them", drainMs);
        }
    }

    public static String keyOf(SyncEvent event) {
        return event.laneKey();
    }

    /** Queues a task in its key's lane; blocks while the lanes are full. Refused once the hub is stopping. */
    public void submit(String key, Task task) {
        room.acquireUninterruptibly();
        boolean idle;
        synchronized (lanes) {
            if (closed) {
                room.release();
                throw new IllegalStateException("the hub is stopping");
            }
            Deque<Task> lane = lanes.get(key);
            idle = lane == null;
            if (idle) {
                lane = new ArrayDeque<>();
                lanes.put(key, lane);
            }
            lane.add(task);
            active++;
        }
        if (idle) {
            pool.execute(() -> drain(key));
        }
    }

    private void drain(String key) {
        while (true) {
            Task next;
            synchronized (lanes) {
                Deque<Task> lane = lanes.get(key);
                next = lane.poll();
                if (next == null) {
                    lanes.remove(key);
                    return;
                }
            }
            CompletableFuture<?> pending = null;
            try {
                pending = next.run();
            } catch (RuntimeException e) {
                LOG.error("a task of lane {} failed: {}", key, e.toString());
            }
            synchronized (lanes) {
                active--;
                lanes.notifyAll();   // for awaitIdle
            }
            if (pending != null && !pending.isDone()) {
                pending.whenComplete((ignored, failure) -> {
                    room.release();
                    resume(key);
                });
                return;   // the lane waits without a thread
            }
            room.release();
        }
    }

    private void resume(String key) {
        try {
            pool.execute(() -> drain(key));
        } catch (RejectedExecutionException stopping) {
            LOG.debug("lane {} not resumed: the hub is stopping", key);
        }
    }
}
