package org.hmssync.runs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hmssync.event.SyncEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time per key, in the order they were submitted, and tasks of different keys
 * in parallel on a fixed pool. The key of an event is its claimant, else its state, else its id:
 * two adjustments for one claimant reach every system in the order they were published.
 */
public final class KeyedLanes {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedLanes.class);

    private final ExecutorService pool;
    private final Semaphore room;
    private final int maxWaiting;
    private final Map<String, Deque<Runnable>> lanes = new HashMap<>();

    /** {@code maxWaiting}: tasks accepted but not finished; submit blocks beyond it (back-pressure). */
    public KeyedLanes(ExecutorService pool, int maxWaiting) {
        this.pool = pool;
        this.maxWaiting = maxWaiting;
        this.room = new Semaphore(maxWaiting);
    }

    /** Waits, at most {@code timeoutMs}, until no task is waiting or running; true if none is. */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lanes) {
            while (room.availablePermits() < maxWaiting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lanes, left);
            }
            return true;
        }
    }

    public static String keyOf(SyncEvent event) {
        String claimant = event.payload().path("claimant_id").asText("");
        if (!claimant.isEmpty()) {
            return "claimant:" + claimant;
        }
        String state = event.payload().path("state").asText("");
        return state.isEmpty() ? "event:" + event.id() : "state:" + state;
    }

    public void submit(String key, Runnable task) {
        room.acquireUninterruptibly();
        boolean idle;
        synchronized (lanes) {
            Deque<Runnable> lane = lanes.get(key);
            idle = lane == null;
            if (idle) {
                lane = new ArrayDeque<>();
                lanes.put(key, lane);
            }
            lane.add(task);
        }
        if (idle) {
            pool.execute(() -> drain(key));
        }
    }

    private void drain(String key) {
        while (true) {
            Runnable next;
            synchronized (lanes) {
                Deque<Runnable> lane = lanes.get(key);
                next = lane.poll();
                if (next == null) {
                    lanes.remove(key);
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.error("a task of lane {} failed: {}", key, e.toString());
            } finally {
                room.release();
                synchronized (lanes) {
                    lanes.notifyAll();   // for awaitIdle
                }
            }
        }
    }
}
