package org.hmssync.runs;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ids whose protocol is running now. Every way into the coordinator (a new event, an undo, a
 * replay) must win {@link #tryStart} first, so one id never runs twice at the same time.
 */
public final class InFlightEvents {

    private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    public boolean tryStart(String id) {
        return running.putIfAbsent(id, new CompletableFuture<>()) == null;
    }

    /**
     * Like {@link #tryStart}, but a run that is finishing (its final line written, its last steps
     * still going) is waited for, up to {@code waitMs}.
     */
    public boolean tryStart(String id, long waitMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (!tryStart(id)) {
            CompletableFuture<Void> current = running.get(id);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (current != null) {
                try {
                    current.get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (Exception e) {
                    // finished or still running: loop and look again
                }
            }
        }
        return true;
    }

    public void finish(String id) {
        CompletableFuture<Void> done = running.remove(id);
        if (done != null) {
            done.complete(null);
        }
    }

    /** Completes when the id's current run finishes (at once when none runs). */
    public CompletableFuture<Void> completion(String id) {
        CompletableFuture<Void> current = running.get(id);
        return current == null ? CompletableFuture.completedFuture(null) : current;
    }

    /** A run of the id holds its claim now. */
    public boolean isRunning(String id) {
        return running.containsKey(id);
    }

    /** The ids running now (a copy). */
    public java.util.Set<String> ids() {
        return java.util.Set.copyOf(running.keySet());
    }

    public int size() {
        return running.size();
    }
}
