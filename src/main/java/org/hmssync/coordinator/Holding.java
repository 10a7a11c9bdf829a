package org.hmssync.coordinator;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hmssync.circuits.SystemCircuits;
import org.hmssync.settings.CircuitSettings;
import org.hmssync.settings.RetrySettings;

/**
 * Holding through an outage (contract section 2), when {@code HMS_HOLD_MAX_S} > 0: which systems
 * an event must wait for, and the commit's wait for a system that could not take it. With a hold
 * of 0 nothing waits: an open circuit fails the call at once.
 */
public final class Holding {

    private final SystemCircuits circuits;
    private final CircuitSettings settings;
    private final RetrySettings backOff;
    private volatile boolean stopping;

    public Holding(SystemCircuits circuits, CircuitSettings settings, RetrySettings backOff) {
        this.circuits = circuits;
        this.settings = settings;
        this.backOff = backOff;
    }

    public boolean enabled() {
        return settings.holds();
    }

    public long maxMs() {
        return settings.holdMaxMs();
    }

    /** The hub is stopping: nothing waits any longer (what waits is finished by the recovery at the next start). */
    public void stop() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    /** Of these systems, those whose circuit is open (an event that needs one of them is held before it prepares). */
    List<String> open(List<String> systems) {
        return enabled() ? systems.stream().filter(circuits::isOpen).toList() : List.of();
    }

    /** The pause before the {@code round}-th try of a system that is failing but whose circuit is still closed. */
    public long backOffMs(int round) {
        double delay = backOff.firstDelayMs() * Math.pow(backOff.multiplier(), Math.min(round, 30));
        return (long) Math.min(delay, backOff.maxDelayMs());
    }

    /**
     * Blocks until each system is worth a commit again, or {@code leftMs} has passed; false when
     * the hub is stopping or the time is up.
     */
    boolean awaitForCommit(List<String> systems, int round, long leftMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leftMs);
        for (String system : systems) {
            java.util.concurrent.CompletableFuture<Void> worthTrying = circuits.whenWorthTrying(system, backOffMs(round));
            try {
                while (!stopping) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        // a second at a time, so that a stopping hub is not kept waiting
                        worthTrying.get(Math.min(left, 1000), TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException stillDown) {
                        // look again
                    } catch (ExecutionException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            } finally {
                worthTrying.cancel(false);   // not counted as waiting any longer
            }
        }
        return !stopping;
    }

    /** The circuits, for a held event's wait ({@code runs/}). */
    public SystemCircuits circuits() {
        return circuits;
    }
}
