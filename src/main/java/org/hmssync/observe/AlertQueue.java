package org.hmssync.observe;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The alerts waiting for the webhook, at most {@code capacity}: a full queue takes a new alert and
 * gives back the oldest, dropped. The newest say the most about now, and memory stays bounded
 * whatever the webhook does.
 */
final class AlertQueue {

    private final int capacity;
    private final Deque<Alert> waiting = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    AlertQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the alert queue holds at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Queues the alert at once, never waiting; returns the oldest alert when it had to make room. */
    Optional<Alert> offer(Alert alert) {
        lock.lock();
        try {
            Alert dropped = waiting.size() >= capacity ? waiting.pollFirst() : null;
            waiting.addLast(alert);
            notEmpty.signal();
            return Optional.ofNullable(dropped);
        } finally {
            lock.unlock();
        }
    }

    /** The oldest alert, waiting up to {@code timeoutMs} for one; null when none came. */
    Alert poll(long timeoutMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lockInterruptibly();
        try {
            while (waiting.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return waiting.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }
}
