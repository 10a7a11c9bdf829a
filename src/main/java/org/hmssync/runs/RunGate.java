package org.hmssync.runs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Between events: every run of the protocol passes the gate, and a change to the adapters (a
 * reload) closes it once no run is inside, so that no two-phase run ever mixes two versions of an
 * adapter. Held events are not inside (they wait without a run).
 */
public final class RunGate {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    void enter() {
        lock.readLock().lock();
    }

    void leave() {
        lock.readLock().unlock();
    }

    /** Closes the gate once the runs inside have ended, waiting at most {@code timeoutMs}; false if they had not. */
    public boolean closeWhenEmpty(long timeoutMs) throws InterruptedException {
        return lock.writeLock().tryLock(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public void open() {
        lock.writeLock().unlock();
    }
}
